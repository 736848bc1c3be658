import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { reportRedisErrors } from '../../resilience/report-redis-errors.js';
import { collectShard, type ShardDeps } from '../scan-shard.js';
import { DEFAULT_SHARD_CONCURRENCY } from './shard-concurrency.js';
import {
  encodeOutcome,
  QUEUE_PREFIX,
  SHARD_QUEUE,
  type ShardJobData,
  type ShardJobProgress,
} from './shard-jobs.js';

/** Options of {@link startShardWorker}. */
export interface ShardWorkerOptions {
  redisUrl: string;
  prefix?: string;
  /** Shards read at once by this worker (default {@link DEFAULT_SHARD_CONCURRENCY}). */
  concurrency?: number;
  /** This process' way to Azure: credential, endpoints, store, shared budget. */
  deps: Omit<ShardDeps, 'tuning' | 'signal' | 'onProgress'>;
  /**
   * How long a shard's lock lasts without renewal; a worker killed mid-shard frees its shard for
   * another worker after about this long (BullMQ's default is 30 s).
   */
  lockDurationMs?: number;
  /** How often this worker looks for shards whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  /** Told when a shard starts and ends (logs, tests). */
  onShard?: (event: {
    kind: 'start' | 'done' | 'failed';
    jobId: string;
    key: string;
    error?: string;
  }) => void;
  /** Where a Redis error is said, once a minute (default: stderr). */
  report?: (line: string) => void;
}

/** A running worker. */
export interface ShardWorker {
  close(): Promise<void>;
}

/**
 * A worker for sharded scans (`driftwatch worker`, and inside the bot): takes shard jobs from the
 * queue, reads them with this process' credential through the budgets it shares with every other
 * worker, reports progress, and returns the compressed outcome. A shard that throws (a refused
 * credential, a wrong scope) fails the attempt; BullMQ retries it, on this or another worker.
 *
 * @example
 * const worker = await startShardWorker({ redisUrl, deps: { credential, endpoints, clock, store } });
 */
export async function startShardWorker(options: ShardWorkerOptions): Promise<ShardWorker> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<ShardJobData, string>(
    SHARD_QUEUE,
    async (job: Job<ShardJobData, string>) => {
      const { shard, tuning } = job.data;
      options.onShard?.({ kind: 'start', jobId: String(job.id), key: shard.key });
      let last = 0;
      const outcome = await collectShard(shard, {
        ...options.deps,
        tuning,
        onProgress(p) {
          const now = Date.now();
          if (now - last < 250 && p.phase !== 'done') return;
          last = now;
          const progress: ShardJobProgress = {
            done: p.done,
            errors: p.errors,
            ...(p.total !== undefined ? { total: p.total } : {}),
          };
          void job.updateProgress(progress as unknown as object).catch(() => undefined);
        },
      });
      return encodeOutcome(outcome);
    },
    {
      connection,
      prefix: options.prefix ?? QUEUE_PREFIX,
      concurrency: options.concurrency ?? DEFAULT_SHARD_CONCURRENCY,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      // A shard whose worker died is handed on twice before it counts as failing.
      maxStalledCount: 2,
    },
  );
  worker.on('completed', (job) =>
    options.onShard?.({ kind: 'done', jobId: String(job.id), key: job.data.shard.key }),
  );
  worker.on('failed', (job, error) => {
    if (job)
      options.onShard?.({
        kind: 'failed',
        jobId: String(job.id),
        key: job.data.shard.key,
        error: error.message,
      });
  });
  // Connection trouble is retried by ioredis and a job in hand fails and is retried by BullMQ:
  // only said, once a minute.
  reportRedisErrors([connection, worker], {
    purpose: 'shard worker',
    ...(options.report ? { report: options.report } : {}),
  });
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
