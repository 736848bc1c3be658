import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { emptyStats } from '../../collect/collect-stats.js';
import { abortableSleep } from '../../resilience/abortable-sleep.js';
import { reportRedisErrors } from '../../resilience/report-redis-errors.js';
import type { ShardRunner } from '../run-shards-in-process.js';
import type { ScanShard, ShardOutcome } from '../scan-shard.js';
import {
  decodeOutcome,
  failedShardOutcome,
  QUEUE_PREFIX,
  SHARD_QUEUE,
  type ShardJobData,
  type ShardJobProgress,
  shardJobId,
} from './shard-jobs.js';

/** Options of {@link createQueuedShardRunner}. */
export interface QueuedShardRunnerOptions {
  redisUrl: string;
  /** Key prefix (tests use a fresh one); default `driftwatch`. */
  prefix?: string;
  /** Attempts per shard before it counts as failed and its resources `unknown` (default 3). */
  attempts?: number;
  /** Wait between attempts, doubled each time (default 1 s). */
  backoffMs?: number;
  /** How often the coordinator looks at its shards (default 250 ms). */
  pollMs?: number;
}

/** A queue-backed shard runner; `close` releases its Redis connection. */
export interface QueuedShardRunner {
  run: ShardRunner;
  close(): Promise<void>;
}

/**
 * The coordinator's side of sharded collection over BullMQ: each shard becomes a job that any
 * worker (`driftwatch worker`, a bot replica) takes; the coordinator follows the jobs, sums their
 * progress into one line ("collected 31,400 / 50,000"), and returns every outcome once all are in.
 * A worker that dies mid-shard loses its lock and BullMQ hands the job to another worker (the
 * dead one's partial progress is replaced, not added); a shard failing on every attempt comes back
 * as errors covering its part of the scope, so its resources are `unknown`. Jobs are removed once
 * read: Redis holds outcomes only while a scan is assembling.
 */
export function createQueuedShardRunner(options: QueuedShardRunnerOptions): QueuedShardRunner {
  // BullMQ needs maxRetriesPerRequest: null on its connections.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const prefix = options.prefix ?? QUEUE_PREFIX;
  const queue = new Queue<ShardJobData>(SHARD_QUEUE, { connection, prefix });
  reportRedisErrors([connection, queue], { purpose: 'shard queue' });
  const attempts = options.attempts ?? 3;
  const pollMs = options.pollMs ?? 250;
  const run: ShardRunner = async (shards, request) => {
    const scanId = randomUUID();
    const ids = shards.map((s) => shardJobId(scanId, s.key));
    await queue.addBulk(
      shards.map((shard, i) => ({
        name: 'shard',
        data: { scanId, scope: request.target.name, shard, tuning: request.tuning },
        opts: {
          jobId: ids[i] as string,
          attempts,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const outcomes = new Map<string, ShardOutcome>();
    const progress = new Map<string, ShardJobProgress>();
    let lastEmitted = '';
    try {
      while (outcomes.size < shards.length) {
        request.signal?.throwIfAborted();
        for (const [i, shard] of shards.entries()) {
          if (outcomes.has(shard.key)) continue;
          // State first, then the job: a job read while active carries no return value yet.
          const state = await queue.getJobState(ids[i] as string);
          const job =
            state === 'unknown'
              ? undefined
              : await Job.fromId<ShardJobData>(queue, ids[i] as string);
          if (!job) {
            outcomes.set(
              shard.key,
              failedShardOutcome(shard, 'the job disappeared from the queue', 0),
            );
            continue;
          }
          if (state === 'completed' && typeof job.returnvalue === 'string') {
            const out = readOutcome(shard, job.returnvalue, job.attemptsMade);
            outcomes.set(shard.key, out);
            progress.set(shard.key, {
              done: out.snapshot.resources.length,
              total: out.snapshot.resources.length,
              errors: out.snapshot.errors.length,
            });
          } else if (state === 'failed') {
            outcomes.set(
              shard.key,
              failedShardOutcome(shard, job.failedReason || 'failed', job.attemptsMade),
            );
          } else if (typeof job.progress === 'object' && job.progress !== null) {
            progress.set(shard.key, job.progress as ShardJobProgress);
          }
        }
        const all = [...progress.values()];
        const summed = {
          done: all.reduce((n, p) => n + (p.done ?? 0), 0),
          total: all.reduce((n, p) => n + (p.total ?? 0), 0),
          errors: all.reduce((n, p) => n + (p.errors ?? 0), 0),
        };
        const text = JSON.stringify(summed);
        if (text !== lastEmitted) {
          lastEmitted = text;
          request.onProgress?.({
            phase: outcomes.size === shards.length ? 'done' : 'reading',
            done: summed.done,
            ...(summed.total > 0 ? { total: summed.total } : {}),
            errors: summed.errors,
            stats: emptyStats(),
          });
        }
        if (outcomes.size < shards.length) await abortableSleep(pollMs, request.signal);
      }
    } finally {
      // Outcomes are merged by the caller; nothing of this scan stays in Redis.
      await Promise.all(
        ids.map(async (id) => {
          const job = await Job.fromId(queue, id).catch(() => undefined);
          await job?.remove().catch(() => undefined);
        }),
      );
    }
    return shards.map((s) => outcomes.get(s.key) as ShardOutcome);
  };
  return {
    run,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** A stored outcome, or — unreadable — a failed one: its part of the scope becomes `unknown`. */
function readOutcome(shard: ScanShard, text: string, attempts: number): ShardOutcome {
  try {
    return decodeOutcome(text);
  } catch (error) {
    return failedShardOutcome(
      shard,
      `its result could not be read (${(error as Error).message})`,
      attempts,
    );
  }
}
