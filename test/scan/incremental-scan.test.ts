import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectVia } from '../../core/collect/collect-scope-types.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { ArmResource } from '../../core/model/resource.js';
import { type RunScanOptions, runScan } from '../../core/scan/run-scan.js';
import { readScanBasis } from '../../core/scan/scan-basis.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate, SUB_A, SUB_B } from '../collect/fake-estate.js';
import { FAST_TUNING, simConnection, simScanOptions } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';

const PER_SUB = 500;
// Reads are counted, not timed: ARM's per-principal bucket is lifted so 2,000 GETs take seconds.
const LIMITS = { armReads: { burst: 1_000_000, refillPerSecond: 1_000_000 } };
const TUNING = {
  ...FAST_TUNING,
  maxRetries: 1,
  // Generous: a loaded 2-core machine takes seconds over a thousand TLS requests.
  timeoutMs: 30_000,
  concurrency: 16,
  armReads: LIMITS.armReads,
};

const findingsOf = (result: Awaited<ReturnType<typeof runScan>>) =>
  (result.report?.findings ?? []).map((f) => ({
    id: f.resourceId,
    change: f.change,
    fingerprint: f.fingerprint,
    severity: f.severity,
    changes: f.changes.map((c) => c.path),
  }));

describe.each(['arm', 'graph'] as const)(
  'incremental scans (%s)',
  { timeout: 120_000 },
  (via: CollectVia) => {
    let sim: ArmSimulator;
    let store: DriftStore;
    let estate: ArmResource[];
    beforeEach(async () => {
      estate = [...fakeEstate(SUB_A, PER_SUB), ...fakeEstate(SUB_B, PER_SUB)];
      sim = await startArmSimulator({ resources: estate, limits: LIMITS });
      store = await openStore({ memory: true });
    });
    afterEach(async () => {
      expect(sim.unexpected).toEqual([]);
      await store.close();
      await sim.close();
    });

    const config = (collect: Record<string, unknown> = {}) =>
      parseConfig(
        {
          scopes: { prod: { subscriptions: [SUB_A, SUB_B] } },
          azure: { collect: { via, ...collect } },
        },
        'test',
      );
    const scan = (options: Partial<RunScanOptions> = {}, collect: Record<string, unknown> = {}) => {
      const { credential, httpClient } = simConnection(sim);
      const loaded = config(collect);
      return runScan({
        scope: 'prod',
        config: {
          ...loaded,
          azure: {
            ...loaded.azure,
            endpoints: { resourceManager: sim.url, authorityHost: sim.url },
          },
        },
        env: {},
        cwd: '/nonexistent',
        store,
        credential,
        httpClient,
        driftignore: '',
        tuning: TUNING,
        ...options,
      });
    };
    /** Requests the simulator answered while `work` ran (token requests excluded). */
    const counted = async <T>(work: () => Promise<T>) => {
      const before = sim.requests.length;
      const result = await work();
      const requests = sim.requests.slice(before).filter((r) => !/oauth2|well-known/.test(r.url));
      return { result, requests };
    };
    /** 1 % of the estate changed as Azure records it: 8 updates, one create, one delete. */
    const changeOnePercent = () => {
      const storage = estate.filter((r) => r.type === 'Microsoft.Storage/storageAccounts');
      for (const r of storage.filter((_, i) => i % 111 === 5).slice(0, 8)) {
        sim.estate.write({ ...r, properties: { ...r.properties, allowBlobPublicAccess: true } });
      }
      const template = storage[0] as ArmResource;
      sim.estate.write({
        ...template,
        id: template.id.replace(/st0$/, 'stnew'),
        name: 'stnew',
      });
      sim.estate.delete((storage[3] as ArmResource).id);
    };

    it('finds exactly the drift a full scan finds, with at most 5 % of its reads', {
      timeout: 180_000,
    }, async () => {
      const first = await scan({ saveBaseline: true, mode: 'incremental' });
      expect(first.snapshot.collection).toEqual({
        mode: 'full',
        fullReason: 'no complete scan to start from yet',
        shards: 1,
        duplicates: 0,
      });
      changeOnePercent();

      const incremental = await counted(() => scan({ mode: 'incremental' }));
      const full = await counted(() => scan({ mode: 'full' }));

      expect(findingsOf(incremental.result)).toEqual(findingsOf(full.result));
      expect(findingsOf(full.result)).toHaveLength(10);
      expect(incremental.result.snapshot.resources).toEqual(full.result.snapshot.resources);
      expect(incremental.result.snapshot.complete).toBe(true);
      expect(incremental.result.snapshot.collection).toMatchObject({
        mode: 'incremental',
        basis: first.snapshot.collectedAt,
        reread: 9,
        carried: 2 * PER_SUB + 4 - 9,
      });
      if (via === 'arm') {
        // 2 subscription checks, 2 list pages, 9 GETs (8 updated, 1 created).
        expect(incremental.requests).toHaveLength(2 + 2 + 9);
        expect(incremental.requests.length / full.requests.length).toBeLessThanOrEqual(0.05);
      } else {
        // Resource Graph: one resourcechanges query and one query re-reading the 10 ids, against
        // 2 pages of 1,000 full bodies; the rows read fall from 1,002 to 9.
        const graph = (r: { url: string }) => /ResourceGraph/.test(r.url);
        expect(incremental.requests.filter(graph)).toHaveLength(2);
        expect(full.requests.filter(graph)).toHaveLength(2);
      }
    });

    it('records its mode and change window in the snapshot', async () => {
      await scan({ mode: 'incremental' });
      sim.estate.write({ ...(estate[0] as ArmResource), tags: { env: 'changed' } });

      const result = await scan({ mode: 'incremental' });

      const collection = result.snapshot.collection;
      expect(collection?.mode).toBe('incremental');
      expect(Date.parse(collection?.window?.to ?? '')).toBeGreaterThan(
        Date.parse(collection?.window?.from ?? ''),
      );
      expect(Date.parse(collection?.basis ?? '') - Date.parse(collection?.window?.from ?? '')).toBe(
        30 * 60_000,
      );
      expect(result.snapshot.source?.description).toMatch(/ · incremental$/);
    });

    it('runs a full scan on the configured cadence', async () => {
      await scan({ mode: 'incremental' });

      const result = await scan({ mode: 'incremental' }, { fullScanEveryHours: 0 });

      expect(result.snapshot.collection?.mode).toBe('full');
      expect(result.snapshot.collection?.fullReason).toMatch(
        /^the last full scan was at .+; a full scan runs every 0 h$/,
      );
    });

    it('carries nothing forward under a subscription it could not read: incomplete, basis kept', async () => {
      await scan({ saveBaseline: true, mode: 'incremental' });
      const basis = await readScanBasis(store, 'prod');
      sim.faults.add({
        match: new RegExp(`GET /subscriptions/${SUB_B}\\?`),
        action: { kind: 'status', status: 503 },
        times: 1_000,
      });

      const result = await scan({ mode: 'incremental' });

      expect(result.snapshot.complete).toBe(false);
      expect(result.snapshot.errors.map((e) => e.id)).toEqual([`/subscriptions/${SUB_B}`]);
      expect(result.snapshot.resources.every((r) => r.id.includes(SUB_A))).toBe(true);
      expect(result.report?.summary.byChange.unknown).toBe(PER_SUB + 2);
      expect(await readScanBasis(store, 'prod')).toEqual(basis);
    });
  },
);

describe('incremental scans on the Resource Graph path', () => {
  let sim: ArmSimulator;
  let store: DriftStore;
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: fakeEstate(SUB_A, 10) });
    store = await openStore({ memory: true });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await store.close();
    await sim.close();
  });

  it('turns full when the change history cannot be read, never partial', async () => {
    const options: RunScanOptions = {
      ...simScanOptions(sim, store, {
        scope: 'prod',
        subscriptions: [SUB_A],
        tuning: { maxRetries: 0 },
      }),
      mode: 'incremental',
    };
    await runScan(options);
    // resourcechanges is asked with api-version 2021-03-01, resources with 2022-10-01.
    sim.faults.add({
      match: /ResourceGraph\/resources\?api-version=2021-03-01/,
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const result = await runScan(options);

    expect(result.snapshot.collection?.mode).toBe('full');
    expect(result.snapshot.collection?.fullReason).toMatch(
      /^the change history could not be read \(Resource Graph resourcechanges query: Azure answered 503/,
    );
    expect(result.snapshot.complete).toBe(true);
    expect(result.snapshot.resources).toHaveLength(12);
  });
});
