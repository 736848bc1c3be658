// One soak worker process (`node soak.bench.mjs worker`): what `driftwatch worker` runs, pointed
// at the simulator, drawing on ARM's and Resource Graph's real limits shared through Redis.
import { ClientSecretCredential } from '@azure/identity';
import { Redis } from 'ioredis';
import { systemClock } from '../../core/clock.js';
import { resolveEndpoints } from '../../core/collect/azure-clouds.js';
import { createHttpClient } from '../../core/collect/create-http-client.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../core/collect/token-bucket-pacer.js';
import { startShardWorker } from '../../core/scan/queue/start-shard-worker.js';

export async function runSoakWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const url = env.SIM_URL as string;
  const httpClient = createHttpClient({ caPem: env.SIM_CA_PEM as string });
  const endpoints = resolveEndpoints({ endpoints: { resourceManager: url, authorityHost: url } });
  const credential = new ClientSecretCredential(
    env.SIM_TENANT as string,
    'sim-client',
    'sim-secret',
    { authorityHost: url, disableInstanceDiscovery: true, httpClient },
  );
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
