import type { ConversationReference } from 'botbuilder';
import type { DriftStore } from '../../core/store/drift-store.js';

/** A conversation the bot was installed in, enough to post to it later (proactively). */
export interface StoredConversation {
  reference: Partial<ConversationReference>;
  /** `channel`, `groupChat` or `personal`; only channels have threads. */
  type: 'channel' | 'groupChat' | 'personal';
  /** The team of a channel, so uninstalling from the team forgets all its channels. */
  teamId?: string;
  savedAt: string;
}

const NAMESPACE = 'teams-conversations';
const INDEX = 'index';

const conversations = (store: DriftStore) => store.keyValue<StoredConversation>(NAMESPACE);
const index = (store: DriftStore) => store.keyValue<string[]>(NAMESPACE);

/**
 * The conversation a message belongs to, without the thread part: a channel post's replies have
 * ids like `19:…@thread.tacv2;messageid=1700000000000`, and subscriptions belong to the channel.
 */
export function baseConversationId(id: string): string {
  return id.split(';')[0] as string;
}

/** Remembers (or refreshes) a conversation's reference; the index update is atomic across replicas. */
export async function saveConversation(
  store: DriftStore,
  conversation: StoredConversation,
): Promise<string> {
  const id = baseConversationId(conversation.reference.conversation?.id ?? '');
  const reference = {
    ...conversation.reference,
    conversation: { ...conversation.reference.conversation, id },
  } as Partial<ConversationReference>;
  await conversations(store).set(`conv:${id}`, { ...conversation, reference });
  await index(store).update(INDEX, (ids = []) => (ids.includes(id) ? ids : [...ids, id]));
  return id;
}

/** The stored reference of a conversation, when the bot is installed there. */
export function getConversation(
  store: DriftStore,
  id: string,
): Promise<StoredConversation | undefined> {
  return conversations(store).get(`conv:${baseConversationId(id)}`);
}

/**
 * Forgets a conversation (the app was removed from it), or, with `teamId`, every channel of that
 * team. Returns the conversation ids forgotten.
 */
export async function forgetConversations(
  store: DriftStore,
  which: { conversationId?: string; teamId?: string },
): Promise<string[]> {
  const ids = (await index(store).get(INDEX)) ?? [];
  const gone: string[] = [];
  for (const id of ids) {
    const stored = await conversations(store).get(`conv:${id}`);
    const match =
      id === (which.conversationId && baseConversationId(which.conversationId)) ||
      (which.teamId !== undefined && stored?.teamId === which.teamId);
    if (!match) continue;
    await conversations(store).delete(`conv:${id}`);
    gone.push(id);
  }
  if (which.conversationId) gone.push(baseConversationId(which.conversationId));
  const unique = [...new Set(gone)];
  await index(store).update(INDEX, (current = []) => current.filter((id) => !unique.includes(id)));
  await Promise.all(unique.map((id) => conversations(store).delete(`conv:${id}`)));
  return unique;
}
