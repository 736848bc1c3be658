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
// One document: subscriptions change rarely, and the scheduler reads them all at start.
const KEY = 'all';

/** The id a subscription of `scope` in `channel` has. */
export function subscriptionId(host: string, channel: string, scope: string): string {
  return `${host}:${channel}:${scope.toLowerCase()}`;
}

/** All subscriptions, or those of one channel. */
export async function listSubscriptions(
  store: DriftStore,
  filter: { host?: string; channel?: string } = {},
): Promise<ChatSubscription[]> {
  const all = (await store.keyValue<ChatSubscription[]>(NAMESPACE).get(KEY)) ?? [];
  return all.filter(
    (s) =>
      (filter.host === undefined || s.host === filter.host) &&
      (filter.channel === undefined || s.channel === filter.channel),
  );
}

/** One subscription by id. */
export async function getSubscription(
  store: DriftStore,
  id: string,
): Promise<ChatSubscription | undefined> {
  return (await listSubscriptions(store)).find((s) => s.id === id);
}

/** Adds or replaces (by id) a subscription. */
export async function saveSubscription(
  store: DriftStore,
  subscription: ChatSubscription,
): Promise<void> {
  const others = (await listSubscriptions(store)).filter((s) => s.id !== subscription.id);
  await store.keyValue<ChatSubscription[]>(NAMESPACE).set(KEY, [...others, subscription]);
}

/** Removes subscriptions by id; returns those removed. */
export async function removeSubscriptions(
  store: DriftStore,
  ids: readonly string[],
): Promise<ChatSubscription[]> {
  const all = await listSubscriptions(store);
  const removed = all.filter((s) => ids.includes(s.id));
  if (removed.length > 0) {
    await store.keyValue<ChatSubscription[]>(NAMESPACE).set(
      KEY,
      all.filter((s) => !ids.includes(s.id)),
    );
  }
  return removed;
}
