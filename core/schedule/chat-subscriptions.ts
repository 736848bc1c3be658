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
// Each subscription under its own key, plus an index of ids for listing. A tick reads its own key
// only, so even if two replicas race on the index, every subscription keeps posting.
const INDEX = 'index';

/** The id a subscription of `scope` in `channel` has. */
export function subscriptionId(host: string, channel: string, scope: string): string {
  return `${host}:${channel}:${scope.toLowerCase()}`;
}

/** All subscriptions, or those of one channel. */
export async function listSubscriptions(
  store: DriftStore,
  filter: { host?: string; channel?: string } = {},
): Promise<ChatSubscription[]> {
  const kv = store.keyValue<ChatSubscription | string[]>(NAMESPACE);
  const ids = ((await kv.get(INDEX)) as string[] | undefined) ?? [];
  const all = await Promise.all(
    ids.map((id) => kv.get(`sub:${id}`) as Promise<ChatSubscription | undefined>),
  );
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
  return store.keyValue<ChatSubscription>(NAMESPACE).get(`sub:${id}`);
}

/** Adds or replaces (by id) a subscription. */
export async function saveSubscription(
  store: DriftStore,
  subscription: ChatSubscription,
): Promise<void> {
  const kv = store.keyValue<ChatSubscription | string[]>(NAMESPACE);
  await kv.set(`sub:${subscription.id}`, subscription);
  const ids = ((await kv.get(INDEX)) as string[] | undefined) ?? [];
  if (!ids.includes(subscription.id)) await kv.set(INDEX, [...ids, subscription.id]);
}

/** Removes subscriptions by id; returns those removed. */
export async function removeSubscriptions(
  store: DriftStore,
  ids: readonly string[],
): Promise<ChatSubscription[]> {
  const kv = store.keyValue<ChatSubscription | string[]>(NAMESPACE);
  const removed: ChatSubscription[] = [];
  for (const id of ids) {
    const existing = await getSubscription(store, id);
    if (existing) removed.push(existing);
    await kv.delete(`sub:${id}`);
  }
  const index = ((await kv.get(INDEX)) as string[] | undefined) ?? [];
  if (index.some((id) => ids.includes(id)))
    await kv.set(
      INDEX,
      index.filter((id) => !ids.includes(id)),
    );
  return removed;
}
