import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { createScanCollector } from '../../core/scan/create-scan-collector.js';
import {
  createQueuedShardRunner,
  type QueuedShardRunner,
} from '../../core/scan/queue/create-queued-shard-runner.js';
import { DEFAULT_SHARD_CONCURRENCY } from '../../core/scan/queue/shard-concurrency.js';
import { type ShardWorker, startShardWorker } from '../../core/scan/queue/start-shard-worker.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate } from '../collect/fake-estate.js';
import { FAST_TUNING, simConnection } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const SUBS = Array.from(
  { length: 10 },
  (_, i) => `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`,
);

describeWithRedis('a shard worker started without a concurrency', () => {
  let sim: ArmSimulator;
  let runner: QueuedShardRunner;
  let worker: ShardWorker;
  afterEach(async () => {
    await worker.close();
    await runner.close();
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it(`reads ${DEFAULT_SHARD_CONCURRENCY} subscriptions at once: a shard waits on its own bucket, not on the CPU`, async () => {
    sim = await startArmSimulator({ resources: SUBS.flatMap((s) => fakeEstate(s, 2)) });
    // Slow answers: every shard is still reading when the next ones could start.
    sim.faults.set({ latencyMs: { min: 150, max: 150 } });
    const { credential, endpoints, httpClient } = simConnection(sim);
    const prefix = `dwtest-${randomUUID().slice(0, 8)}`;
    runner = createQueuedShardRunner({ redisUrl: REDIS_URL, prefix, pollMs: 50 });
    const running = { now: 0, most: 0 };
    worker = await startShardWorker({
      redisUrl: REDIS_URL,
      prefix,
      deps: { credential, endpoints, httpClient, clock: systemClock },
      onShard(event) {
        running.now += event.kind === 'start' ? 1 : -1;
        running.most = Math.max(running.most, running.now);
      },
    });
    const store = await openStore({ memory: true });

    const snapshot = await createScanCollector({ runner: runner.run, split: true })({
      target: { name: 'ten', subscriptions: SUBS },
      via: 'arm',
      credential,
      endpoints,
      httpClient,
      clock: systemClock,
      store,
      tuning: FAST_TUNING,
    });
    await store.close();

    expect(snapshot.complete).toBe(true);
    expect(snapshot.resources.length).toBe(sim.estate.all().length);
    expect(running.most).toBe(DEFAULT_SHARD_CONCURRENCY);
  }, 60_000);
});
