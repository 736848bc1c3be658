import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createRedisBudget } from '../../core/collect/shared-budget.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { ArmResource } from '../../core/model/resource.js';
import { createScanCollector } from '../../core/scan/create-scan-collector.js';
import { configuredScanCollector } from '../../core/scan/queue/configured-scan-collector.js';
import {
  createQueuedShardRunner,
  type QueuedShardRunner,
} from '../../core/scan/queue/create-queued-shard-runner.js';
import { type RunScanOptions, runScan } from '../../core/scan/run-scan.js';
import type { ShardRunner } from '../../core/scan/run-shards-in-process.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { FAST_TUNING, simScanOptions } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import {
  type ShardWorkerProcess,
  startShardWorkerProcess,
  stopShardWorkerProcesses,
} from './shard-worker-harness.js';

const SUB = '00000000-0000-4000-8000-000000000201';
/** One subscription of 135 listed resources in six types (plus 10 App Service `config/web`). */
const TYPES: Array<[string, number]> = [
  ['Microsoft.Storage/storageAccounts', 50],
  ['Microsoft.Network/networkSecurityGroups', 35],
  ['Microsoft.KeyVault/vaults', 20],
  ['Microsoft.Network/publicIPAddresses', 15],
  ['Microsoft.Web/sites', 10],
  ['Microsoft.Compute/disks', 5],
];
/** Split above 50: 3 groups (50 / 45 / 40 resources) and the rest. */
const SPLIT_ABOVE = 50;
const SHARD_KEYS = [1, 2, 3].map((n) => `sub:${SUB}:types-${n}`).concat(`sub:${SUB}:rest`);

function bigSubscription(): ArmResource[] {
  const out: ArmResource[] = [];
  for (const [type, n] of TYPES) {
    const short = (type.split('/')[1] as string).toLowerCase().slice(0, 6);
    for (let i = 0; i < n; i++) {
      const id = `/subscriptions/${SUB}/resourceGroups/rg-${i % 3}/providers/${type}/${short}${i}`;
      out.push({
        id,
        name: `${short}${i}`,
        type,
        location: 'westeurope',
        tags: { n: String(i) },
        properties: { index: i, nested: { flag: i % 2 === 0 } },
      });
      if (type === 'Microsoft.Web/sites')
        out.push({
          id: `${id}/config/web`,
          name: 'web',
          type: 'Microsoft.Web/sites/config',
          location: 'westeurope',
          properties: { minTlsVersion: '1.2', ftpsState: 'Disabled' },
        });
    }
  }
  return out;
}

const byId = (a: ArmResource, b: ArmResource) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);

describeWithRedis(
  'a big subscription split into type-group shards (separate worker processes)',
  () => {
    let script: string;
    let sim: ArmSimulator;
    let store: DriftStore;
    let runner: QueuedShardRunner;
    let redis: Redis;
    let prefix: string;
    let estate: ArmResource[];
    const workers: ShardWorkerProcess[] = [];

    beforeAll(async () => {
      script = await buildTestChild('test/scan/shard-worker-child.ts');
    }, 60_000);
    beforeEach(async () => {
      estate = bigSubscription();
      sim = await startArmSimulator({ resources: estate });
      store = await openStore({ memory: true });
      prefix = `dwtest-${randomUUID().slice(0, 8)}`;
      runner = createQueuedShardRunner({ redisUrl: REDIS_URL, prefix, attempts: 2, backoffMs: 50 });
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    });
    afterEach(async () => {
      await stopShardWorkerProcesses(workers);
      await runner.close();
      redis.disconnect();
      expect(sim.unexpected).toEqual([]);
      await store.close();
      await sim.close();
    });

    const startWorker = (env: Record<string, string> = {}) =>
      startShardWorkerProcess(
        script,
        { sim, prefix, env: { WORKER_CONCURRENCY: '2', ...env } },
        workers,
      );
    const doneKeys = () =>
      workers
        .flatMap((w) => w.events)
        .filter((e) => e.kind === 'done')
        .map((e) => e.key)
        .sort();

    const scan = (
      via: 'graph' | 'arm',
      collect: { splitAbove?: number; run?: ShardRunner; budget?: Budget } = {},
      options: Partial<RunScanOptions> = {},
    ) => {
      const sharedBudget = collect.budget
        ? createRedisBudget({
            redis,
            principal: 'sim-client',
            prefix: `${prefix}:budget`,
            ...collect.budget,
          })
        : undefined;
      return runScan({
        ...simScanOptions(sim, store, {
          scope: 'big',
          subscriptions: [SUB],
          collect: { via },
          tuning: { timeoutMs: 20_000, maxRetries: 1 },
        }),
        collector: createScanCollector({
          runner: collect.run ?? runner.run,
          split: true,
          ...(collect.splitAbove !== undefined ? { splitAbove: collect.splitAbove } : {}),
          ...(sharedBudget ? { sharedBudget } : {}),
        }),
        ...options,
      });
    };

    it('Resource Graph path: split into three type groups and a rest shard, the snapshot is exactly the unsplit one', async () => {
      await startWorker();
      await startWorker();

      const unsplit = await scan('graph');
      const split = await scan('graph', { splitAbove: SPLIT_ABOVE });

      expect(unsplit.snapshot.collection).toEqual({ mode: 'full', shards: 1, duplicates: 0 });
      expect(split.snapshot.collection).toEqual({ mode: 'full', shards: 4, duplicates: 0 });
      expect(doneKeys()).toEqual([...SHARD_KEYS, 'scope'].sort());
      expect(split.snapshot.complete).toBe(true);
      expect(split.snapshot.errors).toEqual([]);
      expect(split.snapshot.resources).toEqual(unsplit.snapshot.resources);
      expect(split.snapshot.resources.map((r) => r.id)).toEqual(
        [...estate].sort(byId).map((r) => r.id),
      );
    }, 120_000);

    it('from configuration: azure.collect.splitAbove queues a scope of one big subscription in type groups (configuredScanCollector)', async () => {
      const worker = await startWorker();
      const config = parseConfig(
        {
          store: { redisUrl: REDIS_URL },
          scopes: { big: { subscriptions: [SUB] } },
          azure: {
            // The smallest the configuration takes: 2 groups (70 and 65) and the rest.
            collect: { via: 'graph', splitAbove: 100 },
            endpoints: { resourceManager: sim.url, authorityHost: sim.url },
          },
        },
        'test',
      );
      const env = { DRIFTWATCH_QUEUE_PREFIX: prefix };
      const collector = await configuredScanCollector({ config, env, store });

      const result = await scan('graph', {}, { config, env, ...(collector ? { collector } : {}) });

      expect(collector).toBeDefined();
      expect(result.snapshot.collection).toEqual({ mode: 'full', shards: 3, duplicates: 0 });
      expect(result.snapshot.complete).toBe(true);
      expect(result.snapshot.resources).toHaveLength(estate.length);
      // The coordinator reads shards too; whatever the worker process took, it finished.
      const taken = worker.events.filter((e) => e.kind === 'start').map((e) => e.key);
      expect(worker.events.filter((e) => e.kind === 'done').map((e) => e.key)).toEqual(taken);
      const keys = [`sub:${SUB}:types-1`, `sub:${SUB}:types-2`, `sub:${SUB}:rest`];
      expect(taken.every((k) => keys.includes(k as string))).toBe(true);
    }, 120_000);

    it('ARM path: not split (its floor is the one bucket every shard would share), nothing counted', async () => {
      await startWorker();

      const result = await scan('arm', { splitAbove: SPLIT_ABOVE });

      expect(result.snapshot.collection).toEqual({ mode: 'full', shards: 1, duplicates: 0 });
      expect(result.snapshot.resources).toHaveLength(estate.length);
      expect(sim.requests.filter((r) => /ResourceGraph/.test(r.url))).toEqual([]);
    }, 120_000);

    it('reads a type created between the plan and the reads: the rest shard reads every type no group names', async () => {
      await startWorker();
      const created: ArmResource = {
        id: `/subscriptions/${SUB}/resourceGroups/rg-0/providers/Microsoft.Cache/redis/cache1`,
        name: 'cache1',
        type: 'Microsoft.Cache/redis',
        location: 'westeurope',
        properties: { sku: { name: 'Basic' } },
      };
      const planned: string[][] = [];
      // After planning, before any shard is read: a resource of a type the counts never saw.
      const run: ShardRunner = async (shards, request) => {
        planned.push(shards.map((s) => s.key));
        sim.estate.put(created);
        return runner.run(shards, request);
      };

      const result = await scan('graph', { splitAbove: SPLIT_ABOVE, run });

      expect(planned).toEqual([SHARD_KEYS]);
      expect(result.snapshot.complete).toBe(true);
      expect(result.snapshot.resources).toHaveLength(estate.length + 1);
      expect(result.snapshot.resources.find((r) => r.id === created.id)).toMatchObject({
        type: 'microsoft.cache/redis',
        properties: { sku: { name: 'Basic' } },
      });
    }, 120_000);

    it.each([
      ['keeps failing on every attempt (in a worker process)', 403, 'scan.shard-failed'],
      ['cannot finish its query', 503, 'azure.unavailable'],
    ] as const)(
      'a type-group shard that %s makes exactly its types unknown; the scan is incomplete',
      async (_what, status, code) => {
        await startWorker();
        await startWorker();
        await scan('graph', {}, { saveBaseline: true });
        // The query of the group holding Key Vaults (with public IPs and disks) fails, every time.
        sim.faults.add({
          match: /ResourceGraph/,
          body: /where type in~ \([^)]*keyvault/i,
          action: { kind: 'status', status },
          times: 1_000,
        });

        const result = await scan('graph', { splitAbove: SPLIT_ABOVE });

        const lost = [
          'microsoft.compute/disks',
          'microsoft.keyvault/vaults',
          'microsoft.network/publicipaddresses',
        ];
        expect(result.snapshot.complete).toBe(false);
        expect(result.snapshot.errors.map((e) => [e.id, e.resourceType, e.code])).toEqual(
          lost.map((t) => [`/subscriptions/${SUB}`, t, code]),
        );
        const lostCount = TYPES.filter(([t]) => lost.includes(t.toLowerCase())).reduce(
          (n, [, c]) => n + c,
          0,
        );
        expect(result.snapshot.resources).toHaveLength(estate.length - lostCount);
        expect(result.report?.summary.byChange.unknown).toBe(lostCount);
        expect(result.report?.summary.byChange.removed).toBe(0);
        expect(result.report?.summary.byChange.modified).toBe(0);
      },
      120_000,
    );

    it("shards of one subscription share its budgets: three workers, Resource Graph's and ARM's real limits, 0 × 429", async () => {
      // Pages of 5 rows make 29 queries against the real 15 per 5 s.
      const budget = {
        armReads: { burst: 250, refillPerSecond: 25, marginTokens: 3 },
        graphQuota: { queries: 15, windowMs: 5_000 },
      };
      for (let i = 0; i < 3; i++) await startWorker({ SHARED_BUDGET: JSON.stringify(budget) });

      const result = await scan(
        'graph',
        { splitAbove: SPLIT_ABOVE, budget },
        { tuning: { ...FAST_TUNING, timeoutMs: 20_000, maxRetries: 4, graphPageSize: 5 } },
      );

      expect(result.snapshot.complete).toBe(true);
      expect(result.snapshot.collection?.shards).toBe(4);
      expect(result.snapshot.resources).toHaveLength(estate.length);
      // The count, then 50, 45 and 40 rows in pages of 5, and the (empty) rest's one page.
      expect(sim.requests.filter((r) => /ResourceGraph/.test(r.url))).toHaveLength(
        1 + 10 + 9 + 8 + 1,
      );
      expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
    }, 180_000);
  },
);

type Budget = {
  armReads: { burst: number; refillPerSecond: number; marginTokens?: number };
  graphQuota: { queries: number; windowMs: number };
};
