import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderStoredReportPage } from '../../bot/api/render-stored-report-page.js';
import { signReportLinkToken } from '../../core/api/report-link-token.js';
import type { ReportRef } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { buildPageReport } from '../report/page/build-page-report.js';
import { launchChromium } from '../support/launch-chromium.js';
import { describeWithChromium } from '../support/requirements.js';
import { type ApiHarness, startApiHarness } from './api-harness.js';

const SECRET = 'browser-link-secret-0123456789abcdefghij';
const NOW = new Date('2026-11-27T12:00:00Z');
const SCANS = 4;

describeWithChromium('report page served by the bot, in headless Chromium', () => {
  let h: ApiHarness;
  let browser: Browser;
  let refs: ReportRef[];
  const token = (reportId: string, expiresAt = new Date('2026-12-01T00:00:00Z'), secret = SECRET) =>
    signReportLinkToken({ secret, reportId, scope: 'prod', expiresAt });

  /** Opens `path` in a fresh page; records every request and every console problem (CSP violations). */
  async function open(path: string) {
    const context = await browser.newContext();
    const requests: string[] = [];
    const problems: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page: Page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    const response = await page.goto(`${h.url}${path}`);
    return { page, response, requests, problems, close: () => context.close() };
  }

  beforeAll(async () => {
    const store = await openStore({ memory: true });
    const clock = { now: () => NOW };
    h = await startApiHarness({
      store,
      clock,
      linkSecret: SECRET,
      render: renderStoredReportPage(store, clock),
    });
    refs = [];
    for (let k = 0; k < SCANS; k++) {
      refs.push(
        await store.saveReport(
          buildPageReport({
            count: 60 + k * 5,
            generatedAt: new Date(Date.UTC(2026, 10, 20 + k, 9)).toISOString(),
            seed: k,
            hostile: true,
          }),
        ),
      );
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('loads through a valid link under the strict CSP: scripts run, charts drawn, no request beyond the page', async () => {
    const latest = refs.at(-1) as ReportRef;
    const path = `/reports/${latest.id}?token=${token(latest.id)}`;
    const { page, response, requests, problems, close } = await open(path);
    try {
      expect(response?.status()).toBe(200);
      await page.waitForSelector('html[data-ready=true]');
      expect(problems).toEqual([]);
      expect(requests).toEqual([`${h.url}${path}`]);
      const points = await page.$$eval('.chart', (els) =>
        els.map((e) => e.getAttribute('data-points')),
      );
      expect(points).toEqual([String(SCANS), String(SCANS), String(SCANS)]);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
    } finally {
      await close();
    }
  });

  it.each([
    ['no token', () => '', 401],
    [
      'a forged token',
      () =>
        `?token=${token((refs.at(-1) as ReportRef).id, undefined, 'forged-secret-0123456789abcdefghijklm')}`,
      403,
    ],
    [
      'an expired token',
      () => `?token=${token((refs.at(-1) as ReportRef).id, new Date('2026-11-27T11:00:00Z'))}`,
      403,
    ],
    ["another report's token replayed", () => `?token=${token((refs[0] as ReportRef).id)}`, 403],
  ])('refuses %s', async (_case, query, status) => {
    const { page, response, close } = await open(
      `/reports/${(refs.at(-1) as ReportRef).id}${query()}`,
    );
    try {
      expect(response?.status()).toBe(status);
      expect(await page.$('.chart')).toBeNull();
    } finally {
      await close();
    }
  });
});
