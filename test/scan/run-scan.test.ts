import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';
import { ConfigError, HttpError } from '../../core/errors.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { LATEST_SNAPSHOT_AREA, type RunScanOptions, runScan } from '../../core/scan/run-scan.js';
import { addChatIgnoreRule } from '../../core/store/chat-ignore-rules.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate, SUB_A, SUB_B } from '../collect/fake-estate.js';
import { FAST_TUNING, simConnection } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const config = parseConfig(
  { scopes: { prod: { subscriptions: [SUB_A] }, other: { subscriptions: [SUB_B] } } },
  'test',
);

describe('runScan', () => {
  let sim: ArmSimulator;
  let store: DriftStore;
  let estate: ArmResource[];
  beforeEach(async () => {
    estate = fakeEstate(SUB_A, 4);
    sim = await startArmSimulator({ resources: estate });
    store = await openStore({ memory: true });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await store.close();
    await sim.close();
  });

  const scan = (options: Partial<RunScanOptions> = {}) => {
    const { credential, httpClient } = simConnection(sim);
    return runScan({
      scope: 'prod',
      config: {
        ...config,
        azure: { endpoints: { resourceManager: sim.url, authorityHost: sim.url } },
      },
      env: {},
      cwd: '/nonexistent',
      store,
      credential,
      httpClient,
      driftignore: '',
      tuning: { ...FAST_TUNING, maxRetries: 1 },
      ...options,
    });
  };

  it('saves a complete first scan as the baseline; there is nothing to compare yet', async () => {
    const result = await scan({ saveBaseline: true, baselineMeta: { setBy: 'tester' } });

    expect(result.report).toBeUndefined();
    expect(result.savedBaseline).toMatchObject({
      scope: 'prod',
      resources: 6,
      complete: true,
      setBy: 'tester',
    });
    expect(result.counts).toEqual({ resources: 6, errors: 0, subscriptions: 1 });
    expect((await store.getBaseline('prod'))?.snapshot).toEqual(result.snapshot);
    expect(await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get('prod')).toEqual(
      result.snapshot,
    );
  });

  it('reports drift against the stored baseline and keeps the report', async () => {
    await scan({ saveBaseline: true });
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });

    const result = await scan();

    expect(
      result.report?.findings.map((f) => [
        f.resourceName,
        f.change,
        f.changes.map((c) => [c.path, c.before, c.after]),
      ]),
    ).toEqual([['st0', 'modified', [['properties.allowBlobPublicAccess', false, true]]]]);
    expect(result.reportRef?.id).toBe((await store.listReports({ scope: 'prod' }))[0]?.id);
    expect(result.baseline?.scope).toBe('prod');
  });

  it('says who changed a finding from Azure change history when asked to attribute', async () => {
    await scan({ saveBaseline: true });
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });
    const at = new Date().toISOString();
    sim.estate.changes.push({
      resourceId: st0.id,
      changeType: 'Update',
      timestamp: at,
      changedBy: 'ops-user@contoso.com',
      clientType: 'Azure Portal',
      operation: 'Microsoft.Storage/storageAccounts/write',
    });

    const plain = await scan();
    const attributed = await scan({ attribute: true });

    expect(plain.report?.findings[0]?.attribution).toBeUndefined();
    expect(attributed.report?.findings[0]?.attribution).toEqual({
      kind: 'actor',
      summary: `ops-user@contoso.com via Azure Portal, ${at.slice(0, 16).replace('T', ' ')} UTC`,
      actor: 'ops-user@contoso.com',
      clientType: 'Azure Portal',
      operation: 'Microsoft.Storage/storageAccounts/write',
      at,
    });
    const stored = await store.getReport(attributed.reportRef?.id ?? '');
    expect(stored?.report.findings[0]?.attribution?.actor).toBe('ops-user@contoso.com');
  });

  it('applies the ignore rules kept in the store (created in chat) without being told', async () => {
    await scan({ saveBaseline: true });
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });
    await addChatIgnoreRule(
      store,
      'prod',
      {
        path: 'properties.allowBlobPublicAccess',
        owner: 'U1',
        reason: 'migration',
        expires: '2099-01-01',
      },
      new Date(),
    );

    const result = await scan();

    expect(result.report?.findings).toEqual([]);
    expect(result.report?.summary.suppressed.byRule).toMatchObject({ 'ignore[0]: migration': 1 });
  });

  it('reports what it could not read as unknown, never removed, and refuses to make it a baseline', async () => {
    const first = await scan({ saveBaseline: true });
    sim.faults.add({
      match: /storageAccounts\/st1\?/,
      action: { kind: 'status', status: 500 },
      times: 100,
    });

    const result = await scan({ saveBaseline: true, via: 'arm' });

    expect(result.snapshot.complete).toBe(false);
    expect(result.report?.findings.map((f) => [f.resourceName, f.change])).toEqual([
      ['st1', 'unknown'],
    ]);
    expect(result.report?.summary.byChange.removed).toBe(0);
    expect(result.savedBaseline).toBeUndefined();
    expect(result.baselineRefused).toBe(
      'not saved as the baseline: 1 part(s) of the scope could not be read (an incomplete snapshot never becomes a baseline)',
    );
    expect((await store.getBaseline('prod'))?.record.snapshotId).toBe(
      first.savedBaseline?.snapshotId,
    );
  });

  it('fails with azure.scope-unreadable, storing nothing, when no part of the scope could be read', async () => {
    const first = await scan({ saveBaseline: true });
    const latestBefore = await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get('prod');
    sim.faults.add({
      match: new RegExp(`/subscriptions/${SUB_A}\\?`),
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const failure = await scan({ saveBaseline: true }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(HttpError);
    expect([(failure as HttpError).code, (failure as HttpError).message]).toEqual([
      'azure.scope-unreadable',
      `scope prod could not be read at all (Resource Graph at ${new URL(sim.url).host} · 1 subscription): subscription ${SUB_A}: Azure answered 503 after retries (ServiceUnavailable); check the endpoint, the network or proxy, and that Azure is reachable from here`,
    ]);
    expect(await store.listReports()).toEqual([]);
    expect((await store.getBaseline('prod'))?.record).toEqual(first.savedBaseline);
    expect(await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get('prod')).toEqual(latestBefore);
  });

  it('leaves the store as it was when aborted mid-way', async () => {
    const first = await scan({ saveBaseline: true });
    const reportsBefore = await store.listReports();
    sim.faults.set({ latencyMs: { min: 200, max: 200 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 50);

    await expect(scan({ signal: controller.signal, saveBaseline: true })).rejects.toThrow();

    expect((await store.getBaseline('prod'))?.record).toEqual(first.savedBaseline);
    expect(await store.listReports()).toEqual(reportsBefore);
    expect(await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get('prod')).toEqual(
      first.snapshot,
    );
  });

  it.each([
    [
      { scope: 'nope' },
      ConfigError,
      'no scope named "nope" in the config; known scopes: prod, other',
    ],
    [
      { scope: 'other' },
      HttpError,
      `subscription ${SUB_B}: The subscription '${SUB_B}' could not be found. Check the subscription id and that the credential's tenant holds it.`,
    ],
  ])('a wrong scope %o fails and writes nothing', async (options, type, message) => {
    const failure = scan({ ...options, saveBaseline: true });

    await expect(failure).rejects.toBeInstanceOf(type);
    await expect(failure).rejects.toThrow(message);
    expect(await store.listBaselines()).toEqual([]);
    expect(await store.listReports()).toEqual([]);
  });

  it('scans an ad-hoc scope under a stable generated name', async () => {
    const result = await scan({
      scope: undefined,
      adHoc: { subscriptions: [SUB_A], resourceGroups: ['rg-web'] },
    });

    expect(result.scope).toMatch(/^adhoc-[0-9a-f]{12}$/);
    expect(result.snapshot.resources.map((r) => r.name)).toEqual(['st0', 'st2', 'app1', 'web']);
  });
});

describeWithRedis('runScan on the Redis store', () => {
  it('keeps the baseline, the latest snapshot and the api-version cache in Redis', async () => {
    const sim = await startArmSimulator({ resources: fakeEstate(SUB_A, 2) });
    const namespace = `dw-test-scan-${process.pid}-${Date.now()}`;
    const store = await openStore({ redisUrl: REDIS_URL, namespace });
    const { credential, httpClient } = simConnection(sim);
    try {
      const result = await runScan({
        scope: 'prod',
        config: {
          ...config,
          azure: { endpoints: { resourceManager: sim.url, authorityHost: sim.url } },
        },
        env: {},
        cwd: '/nonexistent',
        store,
        credential,
        httpClient,
        via: 'arm',
        saveBaseline: true,
        tuning: FAST_TUNING,
      });

      expect((await store.getBaseline('prod'))?.snapshot).toEqual(result.snapshot);
      expect(await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get('prod')).toEqual(
        result.snapshot,
      );
      const versions = await store
        .keyValue<Record<string, string>>('api-versions')
        .get(`${sim.url}|${SUB_A}`);
      expect(versions?.['microsoft.storage/storageaccounts']).toBe('2024-04-01');
      expect(sim.unexpected).toEqual([]);
    } finally {
      await store.close();
      await sim.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`*${namespace}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });
});
