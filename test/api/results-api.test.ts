import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftHistory, DriftResult, DriftSummary, ResultPage } from '../../core/api/api-schemas.js';
import { API_AUDIT_LOG } from '../../core/api/routes/result-routes.js';
import { loadReportPageInput } from '../../core/report/page/load-report-page-input.js';
import type { ReportRef } from '../../core/store/drift-store.js';
import { type ApiHarness, KEYS, startApiHarness } from './api-harness.js';
import { findingFixture as finding, reportFixture as report } from './report-fixture.js';

const NSG = 'Microsoft.Network/networkSecurityGroups';
const STORAGE = 'Microsoft.Storage/storageAccounts';

describe('results API (GET/DELETE /api/v1/drift/…)', () => {
  let h: ApiHarness;
  let refs: Record<'prod1' | 'prod2' | 'dev' | 'staging', ReportRef>;

  beforeEach(async () => {
    h = await startApiHarness();
    refs = {
      prod1: await h.store.saveReport(
        report('prod', '2026-11-20T09:00:00Z', [
          finding('aaaa1111'),
          finding('bbbb2222', { severity: 'critical', change: 'added', resourceType: NSG }),
        ]),
      ),
      prod2: await h.store.saveReport(
        report('prod', '2026-11-21T09:00:00Z', [
          finding('aaaa1111'),
          finding('cccc3333', { severity: 'low', change: 'removed', resourceType: STORAGE }),
          finding('uuuu9999', { severity: 'info', change: 'unknown', reason: '403 on read' }),
        ]),
      ),
      dev: await h.store.saveReport(
        report('dev', '2026-11-21T10:00:00Z', [finding('dddd4444', { severity: 'medium' })]),
      ),
      staging: await h.store.saveReport(report('staging', '2026-11-22T08:00:00Z')),
    };
  });
  afterEach(async () => {
    await h.close();
  });

  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

  it('lists every readable result newest first, with links to itself and its page', async () => {
    const { status, body } = await h.call('GET', '/api/v1/drift/results', { key: KEYS.admin });
    expect(status).toBe(200);
    expect(ResultPage.parse(body)).toBeTruthy();
    expect(ids(body)).toEqual([refs.staging.id, refs.dev.id, refs.prod2.id, refs.prod1.id]);
    expect(body.items[2]).toEqual({
      id: refs.prod2.id,
      scope: 'prod',
      generatedAt: '2026-11-21T09:00:00Z',
      complete: true,
      findings: 3,
      maxSeverity: 'high',
      links: {
        self: `/api/v1/drift/results/${refs.prod2.id}`,
        page: `/reports/${refs.prod2.id}`,
      },
    });
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['scope=prod', ['prod2', 'prod1']],
    ['scope=dev,staging', ['staging', 'dev']],
    ['severity=critical', ['prod1']],
    ['severity=medium,low', ['dev', 'prod2']],
    ['change=removed', ['prod2']],
    ['change=unknown,added', ['prod2', 'prod1']],
    [`resourceType=${NSG.toLowerCase()}`, ['prod1']],
    [`resourceType=${STORAGE},${NSG}`, ['prod2', 'prod1']],
    ['since=2026-11-21T09:00:00Z', ['staging', 'dev', 'prod2']],
    ['until=2026-11-21T09:00:00Z', ['prod2', 'prod1']],
    ['since=2026-11-21T00:00:00Z&until=2026-11-21T23:59:59Z&scope=dev', ['dev']],
    ['scope=prod&severity=high&change=modified', ['prod2', 'prod1']],
  ] as const)('filters by %s', async (query, expected) => {
    const { status, body } = await h.call('GET', `/api/v1/drift/results?${query}`, {
      key: KEYS.admin,
    });
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected.map((k) => refs[k].id));
  });

  it('counts the findings that match a finding filter', async () => {
    const { body } = await h.call('GET', '/api/v1/drift/results?scope=prod&severity=high,low', {
      key: KEYS.admin,
    });
    expect(body.items.map((i: { matching: number }) => i.matching)).toEqual([2, 1]);
  });

  it('pages by cursor without repeating or skipping, also when a newer result arrives', async () => {
    const first = await h.call('GET', '/api/v1/drift/results?limit=2', { key: KEYS.admin });
    expect(ids(first.body)).toEqual([refs.staging.id, refs.dev.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    await h.store.saveReport(report('prod', '2026-11-23T08:00:00Z'));
    const second = await h.call(
      'GET',
      `/api/v1/drift/results?limit=2&cursor=${first.body.nextCursor}`,
      { key: KEYS.admin },
    );
    expect(ids(second.body)).toEqual([refs.prod2.id, refs.prod1.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('pages through filtered results', async () => {
    const first = await h.call('GET', '/api/v1/drift/results?severity=high&limit=1', {
      key: KEYS.admin,
    });
    expect(ids(first.body)).toEqual([refs.prod2.id]);
    const second = await h.call(
      'GET',
      `/api/v1/drift/results?severity=high&limit=1&cursor=${first.body.nextCursor}`,
      { key: KEYS.admin },
    );
    expect(ids(second.body)).toEqual([refs.prod1.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows a key only the scopes it may read', async () => {
    const { body } = await h.call('GET', '/api/v1/drift/results', { key: KEYS.prodReader });
    expect(ids(body)).toEqual([refs.prod2.id, refs.prod1.id]);
    const dev = await h.call('GET', '/api/v1/drift/results?scope=dev', { key: KEYS.prodReader });
    expect(dev.status).toBe(403);
    expect(dev.body.error).toEqual({
      code: 'forbidden',
      parameter: 'scope',
      message:
        "api-key:prod-reader may not read scope dev: add it to the key's read list (or give the Entra app role)",
    });
  });

  it('returns one result with its findings, filtered, sanitised, by id or prefix', async () => {
    const { status, body } = await h.call(
      'GET',
      `/api/v1/drift/results/${refs.prod2.id.slice(0, 8)}?change=removed,unknown`,
      { key: KEYS.prodReader },
    );
    expect(status).toBe(200);
    expect(DriftResult.parse(body)).toBeTruthy();
    expect(body.id).toBe(refs.prod2.id);
    expect(body.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([
      'cccc3333',
      'uuuu9999',
    ]);
    expect(body.findings[1].reason).toBe('403 on read');
    expect(body.summary.findings).toBe(3);
  });

  it('masks a secret inside a stored finding', async () => {
    const leaked = await h.store.saveReport(
      report('prod', '2026-11-23T09:00:00Z', [
        finding('eeee5555', {
          changes: [
            {
              path: 'properties.connectionString',
              before: 'AccountName=a;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0',
              after: 'x',
              severity: 'high',
              rule: 'r',
              why: 'w',
            },
          ],
        }),
      ]),
    );
    const { body } = await h.call('GET', `/api/v1/drift/results/${leaked.id}`, { key: KEYS.admin });
    expect(JSON.stringify(body)).not.toContain('c2VjcmV0c2VjcmV0c2VjcmV0');
  });

  it('answers 404 for a result that is not stored, and 403 for another scope', async () => {
    const missing = await h.call('GET', '/api/v1/drift/results/ffffffffffffffff', {
      key: KEYS.admin,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
    const other = await h.call('GET', `/api/v1/drift/results/${refs.dev.id}`, {
      key: KEYS.prodReader,
    });
    expect(other.status).toBe(403);
  });

  it('deletes a result for an admin of its scope only, by full id', async () => {
    const byReader = await h.call('DELETE', `/api/v1/drift/results/${refs.prod1.id}`, {
      key: KEYS.prodReader,
    });
    expect(byReader.status).toBe(403);
    expect(byReader.body.error.code).toBe('forbidden');
    const byOtherAdmin = await h.call('DELETE', `/api/v1/drift/results/${refs.prod1.id}`, {
      key: KEYS.devAdmin,
    });
    expect(byOtherAdmin.status).toBe(403);
    const byPrefix = await h.call('DELETE', `/api/v1/drift/results/${refs.prod1.id.slice(0, 8)}`, {
      key: KEYS.admin,
    });
    expect(byPrefix.status).toBe(404);
    const ok = await h.call('DELETE', `/api/v1/drift/results/${refs.prod1.id}`, {
      key: KEYS.admin,
    });
    expect(ok.status).toBe(204);
    expect((await h.store.listReports({ scope: 'prod' })).map((r) => r.id)).toEqual([
      refs.prod2.id,
    ]);
    const again = await h.call('GET', `/api/v1/drift/results/${refs.prod1.id}`, {
      key: KEYS.admin,
    });
    expect(again.status).toBe(404);
    expect(await h.store.appendLog(API_AUDIT_LOG).list()).toEqual([
      {
        at: expect.any(String),
        by: 'api-key:admin',
        action: 'delete-result',
        scope: 'prod',
        resultId: refs.prod1.id,
        generatedAt: '2026-11-20T09:00:00Z',
      },
    ]);
  });

  it('summarises the latest scan of each scope', async () => {
    const { status, body } = await h.call('GET', '/api/v1/drift/summary', { key: KEYS.admin });
    expect(status).toBe(200);
    expect(DriftSummary.parse(body)).toBeTruthy();
    expect(body.scopes.map((s: { scope: string }) => s.scope)).toEqual(['dev', 'prod', 'staging']);
    expect(body.scopes[1]).toEqual({
      scope: 'prod',
      latestScanAt: '2026-11-21T09:00:00Z',
      reportId: refs.prod2.id,
      complete: true,
      findings: 3,
      bySeverity: { critical: 0, high: 1, medium: 0, low: 1, info: 1 },
      byChange: { added: 0, removed: 1, modified: 1, unknown: 1 },
      unknown: 1,
      links: { self: `/api/v1/drift/results/${refs.prod2.id}`, page: `/reports/${refs.prod2.id}` },
    });
    const onlyDev = await h.call('GET', '/api/v1/drift/summary?scope=dev', { key: KEYS.devAdmin });
    expect(onlyDev.body.scopes.map((s: { scope: string }) => s.scope)).toEqual(['dev']);
  });

  it("gives the same trend and findings as the report page's data", async () => {
    const page = await loadReportPageInput(h.store, refs.prod2.id, {
      clock: { now: () => new Date() },
    });
    const history = await h.call('GET', '/api/v1/drift/history?scope=prod', { key: KEYS.admin });
    const result = await h.call('GET', `/api/v1/drift/results/${refs.prod2.id}`, {
      key: KEYS.admin,
    });
    expect(history.body.scopes[0]).toEqual(JSON.parse(JSON.stringify(page?.trend)));
    expect(result.body.findings).toEqual(JSON.parse(JSON.stringify(page?.report.findings)));
  });

  it('gives the per-scan history of each scope: new, resolved and unknown per scan', async () => {
    const { status, body } = await h.call('GET', '/api/v1/drift/history?scope=prod', {
      key: KEYS.prodReader,
    });
    expect(status).toBe(200);
    expect(DriftHistory.parse(body)).toBeTruthy();
    expect(body.scopes).toHaveLength(1);
    const [prod] = body.scopes;
    expect(prod.scope).toBe('prod');
    expect(
      prod.points.map((p: Record<string, unknown>) => [
        p.reportId,
        p.findings,
        p.newFindings,
        p.resolved,
        p.unknown,
      ]),
    ).toEqual([
      [refs.prod1.id, 2, null, null, 0],
      [refs.prod2.id, 3, 1, 1, 1],
    ]);
    const windowed = await h.call('GET', '/api/v1/drift/history?since=2026-11-21T00:00:00Z', {
      key: KEYS.admin,
    });
    expect(
      windowed.body.scopes.map((s: { scope: string; points: unknown[] }) => [
        s.scope,
        s.points.length,
      ]),
    ).toEqual([
      ['dev', 1],
      ['prod', 1],
      ['staging', 1],
    ]);
  });
});
