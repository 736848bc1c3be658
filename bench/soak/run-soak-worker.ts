// One soak worker process (`node soak.bench.mjs worker`): what `driftwatch worker` runs, pointed
// at the simulator, drawing on ARM's and Resource Graph's real limits shared through Redis.
import { Redis } from 'ioredis';
import { systemClock } from '../../core/clock.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../core/collect/token-bucket-pacer.js';
import { startShardWorker } from '../../core/scan/queue/start-shard-worker.js';
import { simConnection } from '../../test/collect/sim-harness.js';
import { startCpuProfile } from './cpu-profile.js';

export async function runSoakWorker(env: NodeJS.ProcessEnv): Promise<void> {
  const writeProfile = await startCpuProfile(env, 'worker');
  const { httpClient, endpoints, credential } = simConnection({
    url: env.SIM_URL as string,
    caPem: env.SIM_CA_PEM as string,
    tenantId: env.SIM_TENANT as string,
  });
  const redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: null });
  // What the bench reports per worker: CPU, Redis round trips of the budget, time spent waiting
  // for it (summed over requests).
  let evals = 0;
  const evalOnce = redis.eval.bind(redis);
  const evalShaOnce = redis.evalsha.bind(redis);
  redis.eval = ((...args: Parameters<typeof evalOnce>) => {
    evals += 1;
    return evalOnce(...args);
  }) as typeof redis.eval;
  redis.evalsha = ((...args: Parameters<typeof evalShaOnce>) => {
    evals += 1;
    return evalShaOnce(...args);
  }) as typeof redis.evalsha;
  const budget = createRedisBudget({
    redis,
    principal: 'sim-client',
    prefix: `${env.QUEUE_PREFIX}:budget`,
    armReads: ARM_READ_BUCKET,
    graphQuota: GRAPH_USER_QUOTA,
  });
  let takes = 0;
  let sharedWaitMs = 0;
  const sharedBudget: typeof budget = {
    principal: budget.principal,
    async take(kind, key, signal) {
      const started = performance.now();
      try {
        return await budget.take(kind, key, signal);
      } finally {
        takes += 1;
        sharedWaitMs += performance.now() - started;
      }
    },
  };
  const report = () => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(
      `${JSON.stringify({ kind: 'stats', cpuMs: (user + system) / 1000, evals, takes, sharedWaitMs })}\n`,
    );
  };
  setInterval(report, 500).unref();
  const worker = await startShardWorker({
    redisUrl: env.REDIS_URL as string,
    prefix: env.QUEUE_PREFIX as string,
    // The worker's default unless the bench says otherwise: what `driftwatch worker` reads at once.
    ...(env.WORKER_CONCURRENCY ? { concurrency: Number(env.WORKER_CONCURRENCY) } : {}),
    lockDurationMs: 10_000,
    stalledIntervalMs: 5_000,
    deps: {
      credential,
      endpoints,
      httpClient,
      clock: systemClock,
      sharedBudget,
    },
    onShard: (event) => {
      report();
      process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ kind: 'ready' })}\n`);
  process.on('SIGTERM', () => {
    void worker.close().then(async () => {
      await writeProfile();
      redis.disconnect();
      // Peak resident memory of this worker, in bytes (resourceUsage reports kB).
      process.stdout.write(
        `${JSON.stringify({ kind: 'rss', maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
      );
      process.exit(0);
    });
  });
}
