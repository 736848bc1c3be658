import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { ArmResource } from '../../core/model/resource.js';
import { createScanCollector } from '../../core/scan/create-scan-collector.js';
import {
  createQueuedShardRunner,
  type QueuedShardRunner,
} from '../../core/scan/queue/create-queued-shard-runner.js';
import { type RunScanOptions, runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate } from '../collect/fake-estate.js';
import { FAST_TUNING, simScanOptions } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import {
  type ShardWorkerProcess,
  startShardWorkerProcess,
  stopShardWorkerProcesses,
  until,
} from './shard-worker-harness.js';

const SUBS = [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-00000000010${n}`);
const PER_SUB = 40;

describeWithRedis('sharded scans on BullMQ workers (separate processes)', () => {
  let script: string;
  let sim: ArmSimulator;
  let store: DriftStore;
  let runner: QueuedShardRunner;
  let prefix: string;
  let estate: ArmResource[];
  const workers: ShardWorkerProcess[] = [];

  beforeAll(async () => {
    script = await buildTestChild('test/scan/shard-worker-child.ts');
  }, 60_000);
  beforeEach(async () => {
    estate = SUBS.flatMap((s) => fakeEstate(s, PER_SUB));
    sim = await startArmSimulator({ resources: estate });
    store = await openStore({ memory: true });
    prefix = `dwtest-${randomUUID().slice(0, 8)}`;
    runner = createQueuedShardRunner({ redisUrl: REDIS_URL, prefix, attempts: 2, backoffMs: 50 });
  });
  afterEach(async () => {
    await stopShardWorkerProcesses(workers);
    await runner.close();
    expect(sim.unexpected).toEqual([]);
    await store.close();
    await sim.close();
  });

  /** Starts a worker process and waits until it is taking jobs. */
  const startWorker = (env: Record<string, string> = {}) =>
    startShardWorkerProcess(script, { sim, prefix, env }, workers);

  const scan = (options: Partial<RunScanOptions> = {}) =>
    runScan({
      ...simScanOptions(sim, store, {
        scope: 'big',
        subscriptions: SUBS,
        collect: { via: 'arm' },
        tuning: { timeoutMs: 20_000, maxRetries: 1 },
      }),
      collector: createScanCollector({ runner: runner.run, split: true }),
      ...options,
    });

  it('collects one shard per subscription on two workers, exactly once each', async () => {
    const [a, b] = [await startWorker(), await startWorker()];

    const result = await scan();

    expect(result.snapshot.complete).toBe(true);
    expect(result.snapshot.resources.map((r) => r.id)).toEqual(
      estate.map((r) => r.id).sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1)),
    );
    expect(result.snapshot.collection).toEqual({ mode: 'full', shards: 4, duplicates: 0 });
    const done = [...(a?.events ?? []), ...(b?.events ?? [])].filter((e) => e.kind === 'done');
    expect(done.map((e) => e.key).sort()).toEqual(SUBS.map((s) => `sub:${s}`).sort());
  }, 120_000);

  it('hands the shard of a worker killed mid-shard to another; complete, nothing twice', async () => {
    // Slow reads, so a shard is still being read when its worker dies.
    sim.faults.set({ latencyMs: { min: 30, max: 60 } });
    const doomed = await startWorker({ WORKER_CONCURRENCY: '1' });
    const scanning = scan();
    await until(() => doomed.events.some((e) => e.kind === 'start'), 30_000);
    const killedKey = doomed.events.find((e) => e.kind === 'start')?.key;
    doomed.proc.kill('SIGKILL');
    const survivor = await startWorker({ WORKER_CONCURRENCY: '2' });

    const result = await scanning;

    expect(result.snapshot.complete).toBe(true);
    expect(result.snapshot.errors).toEqual([]);
    expect(result.snapshot.resources).toHaveLength(estate.length);
    expect(result.snapshot.collection?.duplicates).toBe(0);
    expect(doomed.events.filter((e) => e.kind === 'done')).toEqual([]);
    expect(survivor.events.filter((e) => e.kind === 'done').map((e) => e.key)).toContain(killedKey);
  }, 120_000);

  it('three workers draw no more 429s than one: the Resource Graph quota is shared through Redis', async () => {
    // A tenth of Resource Graph's window, so the test takes seconds: 5 queries per second.
    const graph = { queries: 5, windowMs: 1_000 };
    const budget = JSON.stringify({
      armReads: { burst: 250, refillPerSecond: 25 },
      graphQuota: graph,
    });
    const throttledDuring = async (workerCount: number) => {
      await sim.close();
      sim = await startArmSimulator({ resources: estate, limits: { graph } });
      for (let i = 0; i < workerCount; i++)
        await startWorker({ SHARED_BUDGET: budget, WORKER_CONCURRENCY: '2' });
      const result = await scan({
        via: 'graph',
        tuning: { ...FAST_TUNING, timeoutMs: 20_000, maxRetries: 4, graphPageSize: 5 },
      });
      for (const w of workers.splice(0)) {
        w.proc.kill('SIGTERM');
        await w.done;
      }
      expect(result.snapshot.complete).toBe(true);
      expect(result.snapshot.resources).toHaveLength(estate.length);
      return {
        throttled: sim.requests.filter((r) => r.status === 429).length,
        queries: sim.requests.filter((r) => /ResourceGraph/.test(r.url)).length,
      };
    };

    const one = await throttledDuring(1);
    const three = await throttledDuring(3);

    expect(three.throttled).toBeLessThanOrEqual(one.throttled);
    // 4 subscriptions × 41 rows in pages of 5: 9 pages each.
    expect(three.queries - three.throttled).toBe(36);
  }, 180_000);

  it('marks the resources of a shard that keeps failing unknown', async () => {
    await startWorker({ WORKER_CONCURRENCY: '2' });
    await scan({ saveBaseline: true });
    sim.forbid(`/subscriptions/${SUBS[3]}`);

    const result = await scan();

    expect(result.snapshot.complete).toBe(false);
    expect(result.snapshot.errors).toEqual([
      {
        id: `/subscriptions/${SUBS[3]}`,
        code: 'scan.shard-failed',
        message: expect.stringMatching(
          new RegExp(`^shard sub:${SUBS[3]} failed after 2 attempt\\(s\\): `),
        ),
      },
    ]);
    expect(result.snapshot.resources).toHaveLength(estate.length - (PER_SUB + 2));
    expect(result.report?.summary.byChange.unknown).toBe(PER_SUB + 2);
    expect(result.report?.summary.byChange.removed).toBe(0);
  }, 120_000);
});
