import type { CollectProgress } from '../collect/collect-scope-types.js';
import { type CollectStats, emptyStats } from '../collect/collect-stats.js';
import { mapLimit } from '../collect/map-limit.js';
import type { SharedBudget } from '../collect/shared-budget.js';
import { readDepsOf, type ScanCollectRequest } from './scan-collector.js';
import { collectShard, type ScanShard, type ShardOutcome } from './scan-shard.js';

/** Runs a scan's shards and returns one outcome per shard, in the order given. */
export type ShardRunner = (
  shards: ScanShard[],
  request: ScanCollectRequest,
) => Promise<ShardOutcome[]>;

/** Adds up the counters of several collections. */
export function sumStats(all: readonly CollectStats[]): CollectStats {
  const sum = emptyStats();
  for (const s of all) for (const k of Object.keys(sum) as (keyof CollectStats)[]) sum[k] += s[k];
  return sum;
}

/**
 * The queue without Redis: every shard read in this process, all at once, with one progress
 * line summed over them. Same shards, same outcomes as the workers would return.
 */
export const runShardsInProcess: ShardRunner = (shards, request) => runShardsHere(shards, request);

/**
 * {@link runShardsInProcess} drawing on budgets shared with other processes: a scan read in
 * process on a Redis deployment (one shard) takes from the same Resource Graph quota and ARM
 * buckets as every replica's scans and workers, so replicas scanning at once do not draw 429s.
 */
export function runShardsInProcessSharing(sharedBudget: SharedBudget): ShardRunner {
  return (shards, request) => runShardsHere(shards, request, sharedBudget);
}

async function runShardsHere(
  shards: ScanShard[],
  request: ScanCollectRequest,
  sharedBudget?: SharedBudget,
): Promise<ShardOutcome[]> {
  const progress = new Map<string, CollectProgress>();
  const emit = (phase: CollectProgress['phase']) => {
    const all = [...progress.values()];
    const totals = all.filter((p) => p.total !== undefined);
    request.onProgress?.({
      phase,
      done: all.reduce((n, p) => n + p.done, 0),
      ...(totals.length ? { total: totals.reduce((n, p) => n + (p.total ?? 0), 0) } : {}),
      errors: all.reduce((n, p) => n + p.errors, 0),
      stats: sumStats(all.map((p) => p.stats)),
    });
  };
  const outcomes = await mapLimit(shards, shards.length, (shard) =>
    collectShard(shard, {
      ...readDepsOf(request),
      ...(sharedBudget ? { sharedBudget } : {}),
      onProgress(p) {
        progress.set(shard.key, p);
        emit(p.phase === 'done' ? 'reading' : p.phase);
      },
    }),
  );
  emit('done');
  return outcomes;
}
