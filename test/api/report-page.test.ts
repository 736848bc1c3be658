import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderStoredReportPage } from '../../bot/api/render-stored-report-page.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { signReportLinkToken } from '../../core/api/report-link-token.js';
import type { ReportRef } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { type ApiHarness, startApiHarness } from './api-harness.js';
import { findingFixture, reportFixture } from './report-fixture.js';

const SECRET = 'link-secret-0123456789abcdef0123456789';
const NOW = new Date('2026-11-21T12:00:00Z');

describe('report pages at /reports/<id>', () => {
  let h: ApiHarness;
  let prod: ReportRef;
  let dev: ReportRef;
  let logLines: string[];

  const token = (
    reportId: string,
    scope = 'prod',
    expiresAt = new Date('2026-11-28T12:00:00Z'),
    secret = SECRET,
  ) => signReportLinkToken({ secret, reportId, scope, expiresAt });

  beforeEach(async () => {
    logLines = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const store = await openStore({ memory: true });
    const clock = { now: () => NOW };
    h = await startApiHarness({
      store,
      clock,
      linkSecret: SECRET,
      render: renderStoredReportPage(store, clock),
      log: createBotLogger({ level: 'debug', destination }),
    });
    prod = await h.store.saveReport(
      reportFixture('prod', '2026-11-21T09:00:00Z', [
        findingFixture('aaaa1111', { resourceName: '<img src=x onerror=alert(1)>' }),
      ]),
    );
    dev = await h.store.saveReport(reportFixture('dev', '2026-11-21T09:00:00Z'));
  });
  afterEach(async () => {
    await h.close();
  });

  it('serves the page for a valid link with a strict CSP, no-store and no-referrer', async () => {
    const response = await fetch(`${h.url}/reports/${prod.id}?token=${token(prod.id)}`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('dwl1.');
  });

  it.each([
    ['no token', () => '', 401, 'This report needs the link from a driftwatch summary'],
    [
      'a forged token',
      () => `?token=${token(prod.id, 'prod', undefined, 'another-secret-0123456789abcdef012')}`,
      403,
      'This report link is not valid',
    ],
    [
      'an expired token',
      () => `?token=${token(prod.id, 'prod', new Date('2026-11-21T11:59:59Z'))}`,
      403,
      'This report link has expired',
    ],
    [
      "another report's token",
      () => `?token=${token(dev.id, 'dev')}`,
      403,
      'This report link is for another report',
    ],
    [
      'a token naming another scope',
      () => `?token=${token(prod.id, 'dev')}`,
      403,
      'This report link is for another report',
    ],
    ['garbage', () => '?token=not-a-token', 403, 'This report link is not valid'],
  ])('refuses %s', async (_case, query, status, text) => {
    const response = await fetch(`${h.url}/reports/${prod.id}${query()}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(text);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('answers 404 for a report no longer stored, and 405 to anything but GET', async () => {
    await h.store.deleteReport(prod.id);
    const gone = await fetch(`${h.url}/reports/${prod.id}?token=${token(prod.id)}`);
    expect(gone.status).toBe(404);
    const post = await fetch(`${h.url}/reports/${dev.id}?token=${token(dev.id, 'dev')}`, {
      method: 'POST',
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never writes a token to the log, also when rendering fails', async () => {
    const failing = await startApiHarness({
      linkSecret: SECRET,
      clock: { now: () => NOW },
      render: async () => {
        throw new Error(`render failed for ${token(prod.id)}`);
      },
      log: createBotLogger({
        destination: new Writable({
          write(chunk, _enc, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      }),
    });
    try {
      const t = token(prod.id);
      const response = await fetch(`${failing.url}/reports/${prod.id}?token=${t}`);
      expect(response.status).toBe(500);
      expect(logLines.join('')).toContain('request handler failed');
      expect(logLines.join('')).toContain(`/reports/${prod.id}`);
      expect(logLines.join('')).not.toContain(t.split('.')[1]);
      expect(logLines.join('')).not.toContain('dwl1.');
    } finally {
      await failing.close();
    }
  });
});
