// One soak worker process (`node soak.bench.mjs worker`): what `driftwatch worker` runs, pointed
// at the simulator, drawing on ARM's and Resource Graph's real limits shared through Redis.
import { Redis } from 'ioredis';
import { systemClock } from '../../core/clock.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../core/collect/token-bucket-pacer.js';
import { startShardWorker } from '../../core/scan/queue/start-shard-worker.js';
import { simConnection } from '../../test/collect/sim-harness.js';

export async function runSoakWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const { httpClient, endpoints, credential } = simConnection({
    url: env.SIM_URL as string,
    caPem: env.SIM_CA_PEM as string,
    tenantId: env.SIM_TENANT as string,
  });
  const redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: null });
  const worker = await startShardWorker({
    redisUrl: env.REDIS_URL as string,
    prefix: env.QUEUE_PREFIX as string,
    concurrency: Number(env.WORKER_CONCURRENCY ?? 7),
    lockDurationMs: 10_000,
    stalledIntervalMs: 5_000,
    deps: {
      credential,
      endpoints,
      httpClient,
      clock: systemClock,
      sharedBudget: createRedisBudget({
        redis,
        principal: 'sim-client',
        prefix: `${env.QUEUE_PREFIX}:budget`,
        armReads: ARM_READ_BUCKET,
        graphQuota: GRAPH_USER_QUOTA,
      }),
    },
    onShard: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ kind: 'ready' })}\n`);
  process.on('SIGTERM', () => {
    void worker.close().then(() => {
      redis.disconnect();
      // Peak resident memory of this worker, in bytes (resourceUsage reports kB).
      process.stdout.write(
        `${JSON.stringify({ kind: 'rss', maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
      );
      process.exit(0);
    });
  });
}
