// A shard worker in its own process, pointed at an ARM simulator: what `driftwatch worker` runs,
// with the simulator's credential and short lock times so a killed worker's shard moves on fast.
import { Redis } from 'ioredis';
import { systemClock } from '../../core/clock.js';
import { createRedisBudget } from '../../core/collect/shared-budget.js';
import { startShardWorker } from '../../core/scan/queue/start-shard-worker.js';
import { simConnection } from '../collect/sim-harness.js';

const env = process.env;
const { httpClient, endpoints, credential } = simConnection({
  url: env.SIM_URL as string,
  caPem: env.SIM_CA_PEM as string,
  tenantId: env.SIM_TENANT as string,
});
const redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: null });
const budget = env.SHARED_BUDGET
  ? createRedisBudget({
      redis,
      principal: 'sim-client',
      prefix: `${env.QUEUE_PREFIX}:budget`,
      ...(JSON.parse(env.SHARED_BUDGET) as {
        armReads: { burst: number; refillPerSecond: number };
        graphQuota: { queries: number; windowMs: number };
      }),
    })
  : undefined;
const worker = await startShardWorker({
  redisUrl: env.REDIS_URL as string,
  prefix: env.QUEUE_PREFIX as string,
  concurrency: Number(env.WORKER_CONCURRENCY ?? 1),
  lockDurationMs: 1_500,
  stalledIntervalMs: 500,
  deps: {
    credential,
    endpoints,
    httpClient,
    clock: systemClock,
    ...(budget ? { sharedBudget: budget } : {}),
  },
  onShard: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
});
process.stdout.write(`${JSON.stringify({ kind: 'ready' })}\n`);
process.on('SIGTERM', () => {
  void worker.close().then(() => {
    redis.disconnect();
    process.exit(0);
  });
});
