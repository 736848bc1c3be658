import { isAbort } from '../collect/classify-azure-error.js';
import { countResourceTypes, type TypeCounts } from '../collect/count-resource-types.js';
import { listChangedResources } from '../collect/list-changed-resources.js';
import type { SharedBudget } from '../collect/shared-budget.js';
import type { Snapshot, SnapshotCollection } from '../model/resource.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import { carryForward } from './carry-forward.js';
import { mergeSnapshots, type SnapshotPart } from './merge-snapshots.js';
import { planScanMode, type ScanMode, type ScanPlan } from './plan-scan-mode.js';
import { planShards } from './plan-shards.js';
import { runShardsInProcess, type ShardRunner } from './run-shards-in-process.js';
import { readScanBasis, saveScanBasis, targetKeyOf } from './scan-basis.js';
import type { ScanCollector, ScanCollectRequest } from './scan-collector.js';
import type { ScanShard, ShardOutcome } from './scan-shard.js';

/** How {@link createScanCollector} collects. */
export interface ScanCollectorOptions {
  /** `full` (default) reads everything; `incremental` re-reads what changed when it can. */
  mode?: ScanMode;
  /** Incremental scans turn full when the last full one is this old (default 24 h). */
  fullEveryMs?: number;
  /** Where shards run: this process (default) or a queue of workers. */
  runner?: ShardRunner;
  /** One shard per subscription (what a queue of workers wants); default one shard. */
  split?: boolean;
  /**
   * With `split`, on full Resource Graph scans: resources are first counted per type (one
   * query), and a subscription of more than this many is read as groups of types of about this
   * many each plus a rest shard ({@link planShards}). Default: never. The ARM path is not split:
   * its floor is the subscription's own read bucket, which every shard of it would share, and
   * each process' pacer would take the other shards' reads for a stranger's and slow down.
   */
  splitAbove?: number;
  /** Budgets shared with the workers: the coordinator's own change-feed query draws on them too. */
  sharedBudget?: SharedBudget;
  /** Keep complete results as the next incremental scan's basis (default: when `mode` is incremental). */
  keepBasis?: boolean;
  /** Told once the plan is known (the CLI says "incremental since …" or why it is full). */
  onPlan?: (plan: { mode: ScanMode; reason?: string; window?: { from: Date; to: Date } }) => void;
}

/**
 * The collector behind every scan: plans full or incremental, asks the change feed (Resource
 * Graph `resourcechanges`; on the ARM path the list's `changedTime` is the feed), runs the shards,
 * carries the unchanged rest of the last complete snapshot forward, merges, and keeps a complete
 * result as the next basis. A change feed that cannot be read turns the scan full, never partial.
 *
 * @example
 * await runScan({ scope: 'prod', …, collector: createScanCollector({ mode: 'incremental' }) });
 */
export function createScanCollector(options: ScanCollectorOptions = {}): ScanCollector {
  const runner = options.runner ?? runShardsInProcess;
  return async (request) => {
    const { target, via, store } = request;
    const targetKey = targetKeyOf(target, via);
    const now = request.clock.now();
    const requested = options.mode ?? 'full';
    const basis = requested === 'incremental' ? await readScanBasis(store, target.name) : undefined;
    let plan: ScanPlan = planScanMode({
      requested,
      basis,
      targetKey,
      via,
      now,
      ...(options.fullEveryMs !== undefined ? { fullEveryMs: options.fullEveryMs } : {}),
    });
    let changed: string[] | undefined;
    if (plan.mode === 'incremental' && via === 'graph') {
      try {
        changed = (
          await listChangedResources({
            credential: request.credential,
            endpoints: request.endpoints,
            subscriptions: target.subscriptions,
            from: plan.window.from,
            to: plan.window.to,
            tuning: request.tuning,
            ...(options.sharedBudget ? { sharedBudget: options.sharedBudget } : {}),
            ...(request.httpClient ? { httpClient: request.httpClient } : {}),
            ...(request.signal ? { signal: request.signal } : {}),
          })
        ).ids;
      } catch (error) {
        if (isAbort(error, request.signal)) throw error;
        plan = {
          mode: 'full',
          reason: `the change history could not be read (${(error as Error).message})`,
        };
      }
    }
    options.onPlan?.({
      mode: plan.mode,
      ...(plan.mode === 'full' && plan.reason ? { reason: plan.reason } : {}),
      ...(plan.mode === 'incremental' ? { window: plan.window } : {}),
    });
    const delta: ScanShard['delta'] | undefined =
      plan.mode !== 'incremental'
        ? undefined
        : via === 'graph'
          ? { ids: changed ?? [] }
          : { known: knownOf(plan.basis.changedTimes ?? {}, plan.basis.snapshot) };
    const counts =
      options.split && options.splitAbove !== undefined && via === 'graph' && !delta
        ? await countTypes(request, options.sharedBudget)
        : undefined;
    const shards = planShards(target, via, {
      split: Boolean(options.split),
      ...(delta ? { delta } : {}),
      ...(counts && options.splitAbove !== undefined
        ? { counts, splitAbove: options.splitAbove }
        : {}),
    });
    const outcomes = await runner(shards, request);
    request.signal?.throwIfAborted();
    const snapshot = merge(request, plan, outcomes, changed);
    if (snapshot.complete && (options.keepBasis ?? requested === 'incremental')) {
      const secrets = await storeSecretHasher(store);
      const changedTimes = via === 'arm' ? mergeChangedTimes(outcomes) : undefined;
      await saveScanBasis(store, target.name, {
        targetKey,
        snapshot: protectSnapshot(snapshot, secrets),
        ...(changedTimes ? { changedTimes } : {}),
        lastFullAt: plan.mode === 'incremental' ? plan.basis.lastFullAt : now.toISOString(),
      });
    }
    return snapshot;
  };
}

/**
 * The resources per type per subscription, or undefined when they could not be counted: the
 * scan is then planned one shard per subscription, whose reads meet and record the same trouble.
 */
async function countTypes(
  request: ScanCollectRequest,
  sharedBudget: SharedBudget | undefined,
): Promise<TypeCounts | undefined> {
  try {
    return await countResourceTypes({
      target: request.target,
      credential: request.credential,
      endpoints: request.endpoints,
      tuning: request.tuning,
      ...(sharedBudget ? { sharedBudget } : {}),
      ...(request.httpClient ? { httpClient: request.httpClient } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (isAbort(error, request.signal)) throw error;
    return undefined;
  }
}

/** The basis `changedTime`s of resources the basis really holds (anything else is read again). */
function knownOf(changedTimes: Record<string, string>, basis: Snapshot): Record<string, string> {
  const held = new Set(basis.resources.map((r) => r.id.toLowerCase()));
  return Object.fromEntries(Object.entries(changedTimes).filter(([id]) => held.has(id)));
}

function mergeChangedTimes(outcomes: readonly ShardOutcome[]): Record<string, string> {
  return Object.assign({}, ...outcomes.map((o) => o.changedTimes ?? {}));
}

function merge(
  request: ScanCollectRequest,
  plan: ScanPlan,
  outcomes: readonly ShardOutcome[],
  changed: readonly string[] | undefined,
): Snapshot {
  const parts: SnapshotPart[] = outcomes.map((o) => ({ shard: o.key, snapshot: o.snapshot }));
  const reread = outcomes.reduce((n, o) => n + o.snapshot.resources.length, 0);
  let collection: Omit<SnapshotCollection, 'shards' | 'duplicates'> = {
    mode: 'full',
    ...(plan.mode === 'full' && plan.reason ? { fullReason: plan.reason } : {}),
  };
  if (plan.mode === 'incremental') {
    const errors = outcomes.flatMap((o) => o.snapshot.errors);
    const changedSet = new Set((changed ?? []).map((id) => id.toLowerCase()));
    const unchanged = new Set(outcomes.flatMap((o) => o.unchanged ?? []));
    const stays =
      request.via === 'graph'
        ? (owner: string) => !changedSet.has(owner)
        : (owner: string) => unchanged.has(owner);
    const carried = carryForward(plan.basis.snapshot.resources, stays, errors);
    // No collectedAt: the carried part is asserted as of this scan, through the change feed.
    const { collectedAt: _basisAt, collection: _c, ...rest } = plan.basis.snapshot;
    parts.push({ shard: 'carried', snapshot: { ...rest, resources: carried, errors: [] } });
    collection = {
      mode: 'incremental',
      window: { from: plan.window.from.toISOString(), to: plan.window.to.toISOString() },
      ...(plan.basis.snapshot.collectedAt ? { basis: plan.basis.snapshot.collectedAt } : {}),
      reread,
      carried: carried.length,
    };
  }
  const first = outcomes[0]?.snapshot.source;
  const n = request.target.subscriptions.length;
  // "Resource Graph · 20 subscriptions · 20 shards · incremental"
  const description = [
    first?.description?.split(' · ')[0] ?? (request.via === 'graph' ? 'Resource Graph' : 'ARM'),
    `${n} subscription${n === 1 ? '' : 's'}`,
    ...(outcomes.length > 1 ? [`${outcomes.length} shards`] : []),
    ...(plan.mode === 'incremental' ? ['incremental'] : []),
  ].join(' · ');
  return mergeSnapshots(parts, {
    scope: request.target.name,
    source: {
      kind: first?.kind ?? (request.via === 'graph' ? 'resource-graph' : 'arm'),
      description,
    },
    collection,
  });
}
