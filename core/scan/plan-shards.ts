import type { CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import type { ScanShard } from './scan-shard.js';

const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

/**
 * Splits a scan into shards. In one process the whole scope is one shard (the collectors already
 * read subscriptions concurrently, and one Resource Graph query over all subscriptions needs the
 * fewest pages), and so are the resources an incremental Resource Graph scan re-reads. Across
 * workers every subscription is a shard, with its share of the delta.
 *
 * @example
 * planShards(target, 'arm', { split: true }) // one shard per subscription
 */
export function planShards(
  target: CollectTarget,
  via: CollectVia,
  options: { split: boolean; delta?: ScanShard['delta'] },
): ScanShard[] {
  const { delta } = options;
  // The few resources a change feed names are re-read in one go: split per subscription, each
  // would cost a query of its own.
  if (!options.split || target.subscriptions.length <= 1 || delta?.ids)
    return [{ key: 'scope', target, via, ...(delta ? { delta } : {}) }];
  return target.subscriptions.map((sub) => {
    const mine = (id: string) => subscriptionOf(id) === sub.toLowerCase();
    const part: ScanShard['delta'] = {};
    if (delta?.ids) part.ids = delta.ids.filter(mine);
    if (delta?.known)
      part.known = Object.fromEntries(Object.entries(delta.known).filter(([id]) => mine(id)));
    return {
      key: `sub:${sub.toLowerCase()}`,
      target: { ...target, subscriptions: [sub] },
      via,
      ...(delta ? { delta: part } : {}),
    };
  });
}
