import type { CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import type { TypeCounts } from '../collect/count-resource-types.js';
import { planTypeGroups } from './plan-type-groups.js';
import type { ScanShard } from './scan-shard.js';

const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

/** What {@link planShards} is told beyond the scope. */
export interface ShardPlanOptions {
  split: boolean;
  delta?: ScanShard['delta'];
  /** Resources per type per subscription (full scans), and the size above which one is split. */
  counts?: TypeCounts;
  splitAbove?: number;
}

/**
 * Splits a scan into shards. In one process the whole scope is one shard (the collectors already
 * read subscriptions concurrently, and one Resource Graph query over all subscriptions needs the
 * fewest pages), and so are the resources an incremental Resource Graph scan re-reads. Across
 * workers every subscription is a shard, with its share of the delta; and, given the counts, a
 * subscription of more than `splitAbove` resources is several: groups of its resource types of
 * about `splitAbove` resources each (`sub:<id>:types-<n>`, reading only those types), plus a rest
 * shard (`sub:<id>:rest`) reading every type no group names — so a type that appears between this
 * plan and the reads is still read, and together the shards read exactly what one would.
 *
 * @example
 * planShards(target, 'arm', { split: true }) // one shard per subscription
 */
export function planShards(
  target: CollectTarget,
  via: CollectVia,
  options: ShardPlanOptions,
): ScanShard[] {
  const { delta, counts, splitAbove } = options;
  const bigOnes = (sub: string) => {
    const types = counts?.get(sub.toLowerCase());
    if (!types || splitAbove === undefined || delta) return undefined;
    const total = [...types.values()].reduce((n, c) => n + c, 0);
    return total > splitAbove ? planTypeGroups(types, splitAbove) : undefined;
  };
  // The few resources a change feed names are re-read in one go: split per subscription, each
  // would cost a query of its own.
  if (
    !options.split ||
    delta?.ids ||
    (target.subscriptions.length <= 1 && !target.subscriptions.some(bigOnes))
  )
    return [{ key: 'scope', target, via, ...(delta ? { delta } : {}) }];
  return target.subscriptions.flatMap((sub): ScanShard[] => {
    const key = `sub:${sub.toLowerCase()}`;
    const own = { ...target, subscriptions: [sub] };
    const groups = bigOnes(sub);
    if (groups && groups.length > 0) {
      const named = groups.flatMap((g) => g.types);
      return [
        ...groups.map(
          (g, i): ScanShard => ({
            key: `${key}:types-${i + 1}`,
            // Within the scope's own type filter: the counts were taken with it applied.
            target: { ...own, includeTypes: g.types },
            via,
            split: { kind: 'types', types: g.types },
          }),
        ),
        {
          key: `${key}:rest`,
          target: { ...own, excludeTypes: [...(target.excludeTypes ?? []), ...named] },
          via,
          split: { kind: 'rest', named: named.length },
        },
      ];
    }
    const mine = (id: string) => subscriptionOf(id) === sub.toLowerCase();
    const part: ScanShard['delta'] = {};
    if (delta?.ids) part.ids = delta.ids.filter(mine);
    if (delta?.known)
      part.known = Object.fromEntries(Object.entries(delta.known).filter(([id]) => mine(id)));
    return [{ key, target: own, via, ...(delta ? { delta: part } : {}) }];
  });
}
