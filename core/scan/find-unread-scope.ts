import type { CollectTarget } from '../collect/collect-scope-types.js';
import type { Snapshot, SnapshotError } from '../model/resource.js';

/**
 * The errors that kept a whole scope from being read, or undefined when any part of it was read.
 * A scope counts as unread when no resource came back and every subscription failed its check
 * (or, for a scope of resource groups, every group in it): an endpoint that cannot be reached, a
 * network outage. Such a scan is an error, not an incomplete result — nothing in it says anything
 * about the estate. When in doubt (a group may legitimately be absent from one subscription) the
 * scan stays merely incomplete.
 *
 * @example
 * const unread = findUnreadScope(result.target, result.snapshot);
 * if (unread) throw new HttpError('azure.scope-unreadable', describeUnreadScope(result.scope, unread));
 */
export function findUnreadScope(
  target: Pick<CollectTarget, 'subscriptions' | 'resourceGroups'>,
  snapshot: Pick<Snapshot, 'resources' | 'errors'>,
): SnapshotError[] | undefined {
  if (snapshot.resources.length > 0 || snapshot.errors.length === 0) return undefined;
  const failed = new Set(snapshot.errors.map((e) => e.id.toLowerCase().replace(/\/+$/, '')));
  const groups = target.resourceGroups ?? [];
  const unread = target.subscriptions.every((sub) => {
    const path = `/subscriptions/${sub}`.toLowerCase();
    if (failed.has(path)) return true;
    return (
      groups.length > 0 &&
      groups.every((g) => failed.has(`${path}/resourcegroups/${g}`.toLowerCase()))
    );
  });
  return unread ? snapshot.errors : undefined;
}

/** One line: the scope, where it was read from, the first reason, and how many more. */
export function describeUnreadScope(
  scope: string,
  errors: readonly SnapshotError[],
  source?: string,
): string {
  const [first] = errors;
  const from = source ? ` (${source})` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more part(s))` : '';
  return `scope ${scope} could not be read at all${from}: ${first?.message ?? 'not readable'}${more}; check the endpoint, the network or proxy, and that Azure is reachable from here`;
}
