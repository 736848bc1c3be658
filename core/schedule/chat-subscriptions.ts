import type { Severity } from '../model/severity.js';
import type { ChatKind } from '../notify/notifier.js';
import type { DriftStore } from '../store/drift-store.js';
import type { Schedule } from './parse-schedule.js';

/** A conversation's standing request for scheduled drift summaries of one scope. */
export interface ChatSubscription {
  /** `<chat>:<conversation>:<scope>`, so subscribing again updates instead of duplicating. */
  id: string;
  /** The chat whose notifier posts the summaries. */
  chat: ChatKind;
  /** Where they go: a Slack channel id, a Teams conversation id. */
  conversation: string;
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

/**
 * As stored. Subscriptions made before Teams have `host: 'slack'` and `channel` instead of `chat`
 * and `conversation`; they are read as Slack ones. New records carry both spellings, so a replica
 * still on the previous version reads them during a rolling update.
 */
type StoredSubscription = Omit<ChatSubscription, 'chat' | 'conversation'> & {
  chat?: ChatKind;
  conversation?: string;
  host?: string;
  channel?: string;
};

const subscriptions = (store: DriftStore) => store.keyValue<StoredSubscription>(NAMESPACE);
const index = (store: DriftStore) => store.keyValue<string[]>(NAMESPACE);

/** The id a subscription of `scope` in `conversation` of `chat` has. */
export function subscriptionId(chat: ChatKind, conversation: string, scope: string): string {
  return `${chat}:${conversation}:${scope.toLowerCase()}`;
}

/** All subscriptions, or those of one chat or conversation. */
export async function listSubscriptions(
  store: DriftStore,
  filter: { chat?: ChatKind; conversation?: string } = {},
): Promise<ChatSubscription[]> {
  const ids = (await index(store).get(INDEX)) ?? [];
  const all = await Promise.all(ids.map((id) => getSubscription(store, id)));
  return all.filter(
    (s): s is ChatSubscription =>
      s !== undefined &&
      (filter.chat === undefined || s.chat === filter.chat) &&
      (filter.conversation === undefined || s.conversation === filter.conversation),
  );
}

/** One subscription by id. */
export async function getSubscription(
  store: DriftStore,
  id: string,
): Promise<ChatSubscription | undefined> {
  const stored = await subscriptions(store).get(`sub:${id}`);
  return stored && fromStored(stored);
}

/** Adds or replaces (by id) a subscription. */
export async function saveSubscription(
  store: DriftStore,
  subscription: ChatSubscription,
): Promise<void> {
  await subscriptions(store).set(`sub:${subscription.id}`, {
    ...subscription,
    host: subscription.chat,
    channel: subscription.conversation,
  });
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

/** A stored record in today's shape; one from before Teams (no `chat`) is a Slack one. */
function fromStored(stored: StoredSubscription): ChatSubscription {
  const { host, channel, chat, conversation, ...rest } = stored;
  return {
    ...rest,
    chat: chat ?? (host === 'teams' ? 'teams' : 'slack'),
    conversation: conversation ?? channel ?? '',
  };
}
