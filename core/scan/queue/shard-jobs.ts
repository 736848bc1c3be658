import { gunzipSync, gzipSync } from 'node:zlib';
import { emptyStats } from '../../collect/collect-stats.js';
import type { CollectTuning } from '../../collect/create-azure-clients.js';
import type { SnapshotError } from '../../model/resource.js';
import { narrowToTypes } from '../narrow-to-types.js';
import type { ScanShard, ShardOutcome } from '../scan-shard.js';

/** The BullMQ queue every coordinator adds shards to and every worker takes them from. */
export const SHARD_QUEUE = 'scan-shards';
/** Key prefix of driftwatch's queues in Redis. */
export const QUEUE_PREFIX = 'driftwatch';

/** A queued shard: plain data, so any worker with its own credential can read it. */
export interface ShardJobData {
  scanId: string;
  scope: string;
  shard: ScanShard;
  /** The coordinator's collector tuning (timeouts, limits), so every worker reads alike. */
  tuning: Partial<CollectTuning>;
}

/** What a worker reports while reading a shard (`job.updateProgress`). */
export interface ShardJobProgress {
  done: number;
  total?: number;
  errors: number;
}

/**
 * A shard's outcome as stored in Redis: gzip + base64 of its JSON. Resource bodies compress
 * about tenfold, and the outcome stays in Redis only until the coordinator has merged it.
 */
export function encodeOutcome(outcome: ShardOutcome): string {
  return gzipSync(JSON.stringify(outcome)).toString('base64');
}

export function decodeOutcome(text: string): ShardOutcome {
  return JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8')) as ShardOutcome;
}

/** A BullMQ job id for a shard (custom ids may not contain `:`). */
export function shardJobId(scanId: string, key: string): string {
  return `${scanId}.${key.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
}

/**
 * The outcome of a shard that failed on every attempt: whatever it covers is unreadable, so its
 * resources are reported `unknown` — never removed, never carried forward as if read.
 */
export function failedShardOutcome(
  shard: ScanShard,
  reason: string,
  attempts: number,
): ShardOutcome {
  const { subscriptions, resourceGroups } = shard.target;
  const ids = shard.delta?.ids
    ? shard.delta.ids
    : subscriptions.flatMap((s) =>
        resourceGroups?.length
          ? resourceGroups.map((g) => `/subscriptions/${s}/resourceGroups/${g}`)
          : [`/subscriptions/${s}`],
      );
  const message = `shard ${shard.key} failed after ${attempts} attempt(s): ${reason}`;
  const scoped: SnapshotError[] = ids.map((id) => ({ id, code: 'scan.shard-failed', message }));
  // A type group of a big subscription covers its types only; the rest shard covers an open set
  // of types (any that appeared since the plan), so its failure leaves the whole scope unknown.
  const errors = shard.split?.kind === 'types' ? narrowToTypes(scoped, shard.split.types) : scoped;
  return {
    key: shard.key,
    snapshot: {
      schemaVersion: 1,
      scope: shard.target.name,
      complete: false,
      resources: [],
      errors,
    },
    stats: emptyStats(),
  };
}
