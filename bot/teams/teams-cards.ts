import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import type { DriftStore } from '../../core/store/drift-store.js';

/**
 * A card the bot posted, kept so any replica can render it again: for each viewer on refresh
 * (live buttons or read-only), after a click (the finding marked handled), or when a plan moves
 * on (the approval card). Stored without the thread, which is never re-rendered.
 */
export interface StoredCard {
  message: ChatMessage;
  /** The conversation it was posted in (with `;messageid=` when it is a reply in a thread). */
  conversation: string;
  /** The activity id Teams gave the message, once posted. */
  activityId?: string;
  /** For an approval card: the plan it shows. */
  planId?: string;
}

const NAMESPACE = 'teams-cards';
const PLAN_CARDS = 'teams-plan-cards';
/** As long as the buttons' action contexts live (ACTION_TTL_MS). */
const CARD_TTL_MS = 30 * 86_400_000;

const cards = (store: DriftStore) => store.keyValue<StoredCard>(NAMESPACE);

/** Stores a card and returns its opaque id (12 url-safe characters). */
export async function saveCard(
  store: DriftStore,
  card: StoredCard,
  newId: () => string = () => randomBytes(9).toString('base64url'),
): Promise<string> {
  const id = newId();
  const { thread: _thread, ...message } = card.message;
  await cards(store).set(id, { ...card, message }, CARD_TTL_MS);
  if (card.planId) await store.keyValue<string>(PLAN_CARDS).set(card.planId, id, CARD_TTL_MS);
  return id;
}

/** A stored card, or undefined when it expired or never existed. */
export function getCard(store: DriftStore, id: string): Promise<StoredCard | undefined> {
  return cards(store).get(id);
}

/**
 * Changes a stored card atomically across replicas (two clicks on two findings of one summary
 * both stay marked). `change` must be pure; it may run again when another writer wins a race.
 */
export function updateCard(
  store: DriftStore,
  id: string,
  change: (card: StoredCard) => StoredCard,
): Promise<StoredCard | undefined> {
  return cards(store).update(id, (current) => (current ? change(current) : undefined), CARD_TTL_MS);
}

/** The card that shows a plan's approval request, when one was posted. */
export async function planCardId(store: DriftStore, planId: string): Promise<string | undefined> {
  return store.keyValue<string>(PLAN_CARDS).get(planId);
}

const ACTIVITY_CARDS = 'teams-activity-cards';

/** Records which stored card a posted activity shows (for updating it by activity id). */
export function linkActivity(
  store: DriftStore,
  posted: { conversation: string; id: string },
  cardId: string,
): Promise<void> {
  return store.keyValue<string>(ACTIVITY_CARDS).set(activityKey(posted), cardId, CARD_TTL_MS);
}

/** The stored card a posted activity shows. */
export function cardForActivity(
  store: DriftStore,
  posted: { conversation: string; id: string },
): Promise<string | undefined> {
  return store.keyValue<string>(ACTIVITY_CARDS).get(activityKey(posted));
}

/** Activity ids are unique within a conversation (Teams uses timestamps), not across them. */
function activityKey(posted: { conversation: string; id: string }): string {
  return `${posted.conversation.split(';')[0]}|${posted.id}`;
}
