import { afterEach, describe, expect, it } from 'vitest';
import { ScanJob } from '../../core/api/api-schemas.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import { UsageError } from '../../core/errors.js';
import type { Snapshot } from '../../core/model/resource.js';
import { type ApiHarness, KEYS, startApiHarness } from './api-harness.js';
import { findingFixture, reportFixture } from './report-fixture.js';

/** A scan port a test releases by hand; it reports progress and saves its report like runScan. */
function fakeGatedScan(h: () => ApiHarness) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let progressed: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    progressed = resolve;
  });
  const scan: ScanPort = async (scope, options) => {
    options?.onProgress?.({ phase: 'reading', done: 40, total: 120, errors: 1 });
    progressed();
    await gate;
    const report = reportFixture(scope, '2026-11-21T09:00:00Z', [findingFixture('aaaa1111')]);
    const ref = await h().store.saveReport(report);
    return { report, reportId: ref.id };
  };
  return { scan, release, started };
}

const snapshot = (n: number): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources: Array.from({ length: n }, (_, i) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app${i}`,
  })),
  errors: [],
});

describe('scan jobs (POST /scans, GET /scans/{id})', () => {
  let h: ApiHarness;
  afterEach(async () => {
    await h.close();
  });

  it('starts a scan as a job, shows its progress, and links the result when done', async () => {
    const gated = fakeGatedScan(() => h);
    h = await startApiHarness({ scan: gated.scan });
    const started = await h.call('POST', '/api/v1/scans', {
      key: KEYS.prodReader,
      body: { scope: 'PROD' },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      scope: 'prod',
      state: 'queued',
      requestedBy: 'api-key:prod-reader',
    });
    const id = started.body.id as string;
    await gated.started;
    // The progress write is asynchronous (best effort): read until it shows, a bounded number of times.
    let running = await h.call('GET', `/api/v1/scans/${id}`, { key: KEYS.prodReader });
    for (let i = 0; i < 50 && !running.body.progress; i++) {
      await new Promise((r) => setImmediate(r));
      running = await h.call('GET', `/api/v1/scans/${id}`, { key: KEYS.prodReader });
    }
    expect(running.body).toMatchObject({
      state: 'running',
      progress: { phase: 'reading', done: 40, total: 120, errors: 1 },
    });

    const again = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'prod' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'conflict',
      message: `a scan of prod is already running (GET /api/v1/scans/${id}); start another when it has finished`,
    });

    gated.release();
    await h.api.jobs.idle();
    const done = await h.call('GET', `/api/v1/scans/${id}`, { key: KEYS.prodReader });
    expect(ScanJob.parse(done.body)).toBeTruthy();
    const [ref] = await h.store.listReports({ scope: 'prod' });
    expect(done.body).toMatchObject({
      state: 'succeeded',
      resultId: ref?.id,
      findings: 1,
      links: {
        self: `/api/v1/scans/${id}`,
        result: `/api/v1/drift/results/${ref?.id}`,
        page: `/reports/${ref?.id}`,
      },
    });
    const result = await h.call('GET', done.body.links.result, { key: KEYS.prodReader });
    expect(result.body.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([
      'aaaa1111',
    ]);
    const next = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'prod' },
    });
    expect(next.status).toBe(202);
    gated.release();
  });

  it('records a failed scan with its code and a sanitised message', async () => {
    h = await startApiHarness({
      scan: async () => {
        throw new UsageError(
          'usage.no-baseline',
          'prod has no baseline yet, token=abc123secret here',
        );
      },
    });
    const { body } = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'prod' },
    });
    await h.api.jobs.idle();
    const job = await h.call('GET', `/api/v1/scans/${body.id}`, { key: KEYS.admin });
    expect(job.body).toMatchObject({
      state: 'failed',
      error: { code: 'usage.no-baseline', message: 'prod has no baseline yet, token=*** here' },
    });
  });

  it('reports a job whose process stopped as failed (interrupted) and lets the scope be scanned again', async () => {
    const gated = fakeGatedScan(() => h);
    h = await startApiHarness({ scan: gated.scan });
    const { body } = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'prod' },
    });
    await gated.started;
    // What a stopped process leaves: its lock lapses (no heartbeat renews it).
    await h.store.keyValue('api-scan-locks').delete('prod');
    const job = await h.call('GET', `/api/v1/scans/${body.id}`, { key: KEYS.admin });
    expect(job.body).toMatchObject({
      state: 'failed',
      error: {
        code: 'scan.interrupted',
        message: 'the process running this scan stopped before it finished; start the scan again',
      },
    });
    const again = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'prod' },
    });
    expect(again.status).toBe(202);
    gated.release();
  });

  it('refuses a scope the key may not read, and answers 404 for an unknown job', async () => {
    h = await startApiHarness();
    const refused = await h.call('POST', '/api/v1/scans', {
      key: KEYS.prodReader,
      body: { scope: 'dev' },
    });
    expect(refused.status).toBe(403);
    const missing = await h.call('GET', '/api/v1/scans/scan_0000000000000000', { key: KEYS.admin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
  });
});

describe('baselines (GET /baselines, GET …/versions, POST …/restore)', () => {
  let h: ApiHarness;
  afterEach(async () => {
    await h.close();
  });

  it('lists current baselines and every kept version, and restores one for an admin', async () => {
    h = await startApiHarness();
    await h.store.setBaseline('prod', snapshot(1), { setBy: 'cli:ada' });
    await h.store.setBaseline('prod', snapshot(2), { setBy: 'cli:ada' });
    await h.store.setBaseline('dev', snapshot(5));

    const all = await h.call('GET', '/api/v1/baselines', { key: KEYS.prodReader });
    expect(
      all.body.baselines.map((b: { scope: string; resources: number }) => [b.scope, b.resources]),
    ).toEqual([['prod', 2]]);

    const versions = await h.call('GET', '/api/v1/baselines/prod/versions', {
      key: KEYS.prodReader,
    });
    expect(
      versions.body.versions.map((v: { version: number; resources: number }) => [
        v.version,
        v.resources,
      ]),
    ).toEqual([
      [2, 2],
      [1, 1],
    ]);

    const byReader = await h.call('POST', '/api/v1/baselines/prod/restore', {
      key: KEYS.prodReader,
      body: { version: 1, reason: 'bad deploy' },
    });
    expect(byReader.status).toBe(403);
    const badVersion = await h.call('POST', '/api/v1/baselines/prod/restore', {
      key: KEYS.admin,
      body: { version: 7, reason: 'bad deploy' },
    });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error).toEqual({
      code: 'bad-parameter',
      parameter: 'version',
      message: 'version: prod has no version 7; kept versions are 2, 1',
    });
    const noReason = await h.call('POST', '/api/v1/baselines/prod/restore', {
      key: KEYS.admin,
      body: { version: 1 },
    });
    expect(noReason.body.error).toEqual({
      code: 'bad-body',
      parameter: 'reason',
      message: 'reason: expected a reason (kept with the restore)',
    });

    const restored = await h.call('POST', '/api/v1/baselines/prod/restore', {
      key: KEYS.admin,
      body: { version: 1, reason: 'bad deploy' },
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      scope: 'prod',
      resources: 1,
      setBy: 'api-key:admin',
      note: 'bad deploy',
      version: 3,
      restoredFrom: 1,
    });
    const after = await h.call('GET', '/api/v1/baselines/prod/versions', { key: KEYS.prodReader });
    expect(after.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect((await h.store.getBaseline('prod'))?.snapshot.resources).toHaveLength(1);
  });

  it('refuses to restore a scope the admin key does not hold', async () => {
    h = await startApiHarness();
    await h.store.setBaseline('prod', snapshot(1));
    const { status, body } = await h.call('POST', '/api/v1/baselines/prod/restore', {
      key: KEYS.devAdmin,
      body: { version: 1, reason: 'x' },
    });
    expect(status).toBe(403);
    expect(body.error.message).toBe(
      "api-key:dev-admin may not change scope prod: add it to the key's change list (or give the Entra admin role)",
    );
  });
});
