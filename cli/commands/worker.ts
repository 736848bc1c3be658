import { UsageError } from '../../core/errors.js';
import { DEFAULT_SHARD_CONCURRENCY } from '../../core/scan/queue/shard-concurrency.js';
import { configOption } from '../shared-options.js';
import { positiveInt } from '../with-store.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch worker`: reads scan shards from the BullMQ queue on REDIS_URL until interrupted,
 * with this machine's Azure credential, under the ARM and Resource Graph budgets every worker of
 * the same identity shares through Redis.
 */
export const registerWorkerCommand: RegisterCommand = (program, ctx) => {
  program
    .command('worker')
    .description(
      'read shards of large scans from the queue on REDIS_URL (run one per machine or replica)',
    )
    .option(
      '--concurrency <n>',
      `shards read at once by this worker (default ${DEFAULT_SHARD_CONCURRENCY})`,
      positiveInt('--concurrency'),
    )
    .addOption(configOption())
    .action(async (flags: { concurrency?: number; config?: string }) => {
      const loaded = ctx.config(flags.config);
      const redisUrl = loaded.config.store.redisUrl;
      if (!redisUrl)
        throw new UsageError(
          'usage.missing-redis',
          'driftwatch worker needs Redis: set REDIS_URL (or store.redisUrl in the config file) to the redis:// URL the scans use',
        );
      // Loaded on demand: BullMQ and the Azure SDKs are large.
      const { Redis } = await import('ioredis');
      const { createWorkerDeps } = await import('../../core/scan/queue/create-worker-deps.js');
      const { startShardWorker } = await import('../../core/scan/queue/start-shard-worker.js');
      const { reportRedisErrors } = await import('../../core/resilience/report-redis-errors.js');
      const { queuePrefixOf } = await import('../../core/scan/queue/configured-scan-collector.js');
      const store = await ctx.store(loaded);
      let prefix: string;
      try {
        prefix = queuePrefixOf({ config: loaded.config, env: ctx.env, store });
      } catch (error) {
        await store.close();
        throw error;
      }
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const report = (line: string) => ctx.stderr.write(`${line}\n`);
      reportRedisErrors([redis], { purpose: 'shared budgets', report });
      const concurrency = flags.concurrency ?? DEFAULT_SHARD_CONCURRENCY;
      const worker = await startShardWorker({
        redisUrl,
        prefix,
        concurrency,
        deps: createWorkerDeps({
          prefix,
          config: loaded.config,
          env: ctx.env,
          cwd: ctx.cwd,
          store,
          clock: ctx.clock,
          redis,
        }),
        report,
        onShard(event) {
          if (event.kind !== 'start')
            ctx.stderr.write(
              `${JSON.stringify({ msg: `shard ${event.kind}`, shard: event.key, job: event.jobId, ...(event.error ? { error: event.error } : {}) })}\n`,
            );
        },
      });
      ctx.stderr.write(
        `driftwatch worker: reading scan shards from ${new URL(redisUrl).host}, queue ${prefix} (${concurrency} at once); Ctrl-C to stop\n`,
      );
      await new Promise<void>((done) => {
        if (ctx.signal.aborted) return done();
        ctx.signal.addEventListener('abort', () => done(), { once: true });
        process.once('SIGTERM', () => done());
      });
      // A shard in hand is finished first (BullMQ's close waits for it); the queue keeps the rest.
      await worker.close();
      redis.disconnect();
      await store.close();
    });
};
