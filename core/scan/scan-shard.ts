import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import type { AzureEndpoints } from '../collect/azure-clouds.js';
import { collectScopeDetailed } from '../collect/collect-scope.js';
import type { CollectProgress, CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import { type CollectStats, emptyStats } from '../collect/collect-stats.js';
import type { CollectTuning } from '../collect/create-azure-clients.js';
import type { SharedBudget } from '../collect/shared-budget.js';
import type { Snapshot } from '../model/resource.js';
import type { DriftStore } from '../store/drift-store.js';
import { narrowToTypes } from './narrow-to-types.js';

/**
 * One unit of collection work: a part of a scope (a subscription, or the whole scope in one
 * process), plain data so it can travel as a queued job to any worker.
 */
export interface ScanShard {
  /** Stable within a scan: `scope`, `sub:<id>`, `sub:<id>:types-<n>`, `sub:<id>:rest`. */
  key: string;
  target: CollectTarget;
  via: CollectVia;
  /** Incremental: the resources to re-read (Graph) or the `changedTime`s already known (ARM). */
  delta?: { ids?: string[]; known?: Record<string, string> };
  /**
   * A part of a big subscription: a group of its resource types (`target.includeTypes`), or the
   * rest — every type no group of the plan names (`target.excludeTypes`; `named` groups' types).
   */
  split?: { kind: 'types'; types: string[] } | { kind: 'rest'; named: number };
}

/** What a shard brought back (plain data, as a worker returns it through the queue). */
export interface ShardOutcome {
  key: string;
  snapshot: Snapshot;
  changedTimes?: Record<string, string>;
  unchanged?: string[];
  stats: CollectStats;
}

/** What reading a shard needs in the process that reads it (a worker builds its own). */
export interface ShardDeps {
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  clock: Clock;
  store?: DriftStore;
  tuning: Partial<CollectTuning>;
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  sharedBudget?: SharedBudget;
}

/** Reads one shard here and now. Throws what collectScope throws (wrong scope, credential). */
export async function collectShard(shard: ScanShard, deps: ShardDeps): Promise<ShardOutcome> {
  let stats = emptyStats();
  const collected = await collectScopeDetailed({
    target: shard.target,
    via: shard.via,
    credential: deps.credential,
    endpoints: deps.endpoints,
    clock: deps.clock,
    tuning: deps.tuning,
    ...(deps.store ? { store: deps.store } : {}),
    ...(deps.httpClient ? { httpClient: deps.httpClient } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(shard.delta ? { delta: shard.delta } : {}),
    ...(deps.sharedBudget ? { sharedBudget: deps.sharedBudget } : {}),
    onProgress(progress) {
      stats = progress.stats;
      deps.onProgress?.(progress);
    },
  });
  const { snapshot } = collected;
  return {
    key: shard.key,
    // A type group vouches only for its types: what it could not read is of those types.
    snapshot:
      shard.split?.kind === 'types'
        ? { ...snapshot, errors: narrowToTypes(snapshot.errors, shard.split.types) }
        : snapshot,
    stats,
    ...(collected.changedTimes ? { changedTimes: collected.changedTimes } : {}),
    ...(collected.unchanged ? { unchanged: collected.unchanged } : {}),
  };
}
