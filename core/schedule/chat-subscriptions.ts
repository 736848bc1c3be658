import type { Severity } from '../model/severity.js';
import type { DriftStore } from '../store/drift-store.js';
import type { Schedule } from './parse-schedule.js';

/** A channel's standing request for scheduled drift summaries of one scope. */
export interface ChatSubscription {
  /** `<host>:<channel>:<scope>`, so subscribing again updates instead of duplicating. */
  id: string;
  host: string;
  channel: string;
  scope: string;
  schedule: Schedule;
  minSeverity: Severity;
  /** Post an all-clear digest on every tick, not only when something changed. */
  allClear: boolean;
  createdBy: string;
  createdAt: string;
}

const NAMESPACE = 'subscriptions';
// Each subscription under its own key, plus an index of ids for listing, changed only by atomic
// updates (two replicas subscribing at once both stay listed). A tick reads its own key only.
const INDEX = 'index';

const subscriptions = (store: DriftStore) => store.keyValue<ChatSubscription>(NAMESPACE);
const index = (store: DriftStore) => store.keyValue<string[]>(NAMESPACE);

/** The id a subscription of `scope` in `channel` has. */
export function subscriptionId(host: string, channel: string, scope: string): string {
  return `${host}:${channel}:${scope.toLowerCase()}`;
}

/** All subscriptions, or those of one channel. */
export async function listSubscriptions(
  store: DriftStore,
  filter: { host?: string; channel?: string } = {},
): Promise<ChatSubscription[]> {
  const ids = (await index(store).get(INDEX)) ?? [];
  const all = await Promise.all(ids.map((id) => subscriptions(store).get(`sub:${id}`)));
  return all.filter(
    (s): s is ChatSubscription =>
      s !== undefined &&
      (filter.host === undefined || s.host === filter.host) &&
      (filter.channel === undefined || s.channel === filter.channel),
  );
}

/** One subscription by id. */
export function getSubscription(
  store: DriftStore,
  id: string,
): Promise<ChatSubscription | undefined> {
  return subscriptions(store).get(`sub:${id}`);
}

/** Adds or replaces (by id) a subscription. */
export async function saveSubscription(
  store: DriftStore,
  subscription: ChatSubscription,
): Promise<void> {
  await subscriptions(store).set(`sub:${subscription.id}`, subscription);
  await index(store).update(INDEX, (ids = []) =>
    ids.includes(subscription.id) ? ids : [...ids, subscription.id],
  );
}

/** Removes subscriptions by id; returns those removed. */
export async function removeSubscriptions(
  store: DriftStore,
  ids: readonly string[],
): Promise<ChatSubscription[]> {
  const removed: ChatSubscription[] = [];
  for (const id of ids) {
    const existing = await getSubscription(store, id);
    if (existing) removed.push(existing);
    await subscriptions(store).delete(`sub:${id}`);
  }
  await index(store).update(INDEX, (current = []) => current.filter((id) => !ids.includes(id)));
  return removed;
}
