import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { conversationGone, type Notifier, type PostedMessage } from '../../core/notify/notifier.js';
import { type AdaptiveCard, CARD_CONTENT_TYPE } from './adaptive-card.js';
import type { TeamsCards } from './build-card.js';
import { ownRetries, type TeamsAdapter } from './create-teams-adapter.js';
import { createMemberLearner, type MemberLearner } from './learn-members.js';
import {
  cardForActivity,
  getCard,
  linkActivity,
  type StoredCard,
  saveCard,
  updateCard,
} from './teams-cards.js';
import { baseConversationId, getConversation } from './teams-conversations.js';
import { statusOf, type TeamsSender } from './teams-sender.js';
import { publicCards, type TeamsViewDeps, wantedViewers } from './teams-views.js';

export interface TeamsNotifierDeps extends TeamsViewDeps {
  adapter: TeamsAdapter;
  sender: TeamsSender;
  /** How people invoke the bot here: `@driftwatch`. */
  invocation: string;
  newId?: () => string;
}

/** Connector answers meaning the bot cannot post there any more (uninstalled, deleted). */
const GONE_STATUSES = new Set([403, 404]);

/**
 * The Teams notifier: posts the neutral message as an Adaptive Card to a conversation the bot was
 * installed in (its stored reference, through `continueConversationAsync`), replies in a channel
 * post's thread (`;messageid=`; follow-ups in chats, which have no threads), and updates a card in
 * place. Every card is stored, so any replica can render each viewer's buttons on refresh. Sends
 * are paced per conversation and retried by {@link TeamsSender}; a conversation the bot is no
 * longer in is reported as gone, so its subscriptions end.
 */
export class TeamsNotifier implements Notifier {
  readonly chat = 'teams' as const;
  readonly invocation: string;

  private readonly learner: MemberLearner;

  constructor(private readonly deps: TeamsNotifierDeps) {
    this.invocation = deps.invocation;
    this.learner = createMemberLearner(deps.store);
  }

  async post(
    conversation: string,
    message: ChatMessage,
    extra: Pick<StoredCard, 'planId'> = {},
  ): Promise<PostedMessage> {
    const stored = await this.reference(conversation);
    const posted = await this.postCard(stored.reference, conversation, message, extra);
    if (message.thread && message.thread.length > 0) {
      const { replies } = await this.cardsFor(posted.cardId, message);
      const thread =
        stored.type === 'channel' ? threadOf(posted) : baseConversationId(conversation);
      for (const reply of replies) {
        await this.send(stored.reference, thread, 'sendToConversation', (context) =>
          context.sendActivity(cardActivity(reply, message.text)),
        );
      }
    }
    return { conversation: posted.conversation, id: posted.id };
  }

  async update(posted: PostedMessage, message: ChatMessage): Promise<void> {
    const stored = await this.reference(posted.conversation);
    let cardId = await cardForActivity(this.deps.store, posted);
    if (cardId) {
      await updateCard(this.deps.store, cardId, (card) => ({ ...card, message }));
    } else {
      cardId = await saveCard(
        this.deps.store,
        { message, conversation: posted.conversation, activityId: posted.id },
        this.deps.newId,
      );
      await linkActivity(this.deps.store, posted, cardId);
    }
    const id = cardId;
    await this.send(stored.reference, posted.conversation, 'updateActivity', async (context) => {
      await this.learn(context, message);
      const { main } = await this.cardsFor(id, message);
      await context.updateActivity({ ...cardActivity(main, message.text), id: posted.id });
    });
  }

  async reply(posted: PostedMessage, message: ChatMessage): Promise<PostedMessage> {
    const stored = await this.reference(posted.conversation);
    const where =
      stored.type === 'channel' ? threadOf(posted) : baseConversationId(posted.conversation);
    const reply = await this.postCard(stored.reference, where, message);
    return { conversation: reply.conversation, id: reply.id };
  }

  /**
   * Answers in a conversation as it is (a channel post's thread, a chat): the card, then the
   * message's thread as further cards in the same place.
   */
  async respond(
    reference: Partial<ConversationReference>,
    conversation: string,
    message: ChatMessage,
  ): Promise<PostedMessage> {
    const posted = await this.postCard(reference, conversation, message);
    if (message.thread && message.thread.length > 0) {
      const { replies } = await this.cardsFor(posted.cardId, message);
      for (const reply of replies) {
        await this.send(reference, conversation, 'sendToConversation', (context) =>
          context.sendActivity(cardActivity(reply, message.text)),
        );
      }
    }
    return { conversation: posted.conversation, id: posted.id };
  }

  /** Stores the card, posts its public view, and links the activity id to it. */
  async postCard(
    reference: Partial<ConversationReference>,
    conversation: string,
    message: ChatMessage,
    extra: Pick<StoredCard, 'planId'> = {},
  ): Promise<PostedMessage & { cardId: string }> {
    const cardId = await saveCard(
      this.deps.store,
      { message, conversation, ...extra },
      this.deps.newId,
    );
    const id = await this.send(reference, conversation, 'sendToConversation', async (context) => {
      await this.learn(context, message);
      const { main } = await this.cardsFor(cardId, message);
      const result = await context.sendActivity(cardActivity(main, message.text));
      return result?.id ?? '';
    });
    await updateCard(this.deps.store, cardId, (card) => ({ ...card, activityId: id }));
    await linkActivity(this.deps.store, { conversation, id }, cardId);
    return { conversation, id, cardId };
  }

  /** The everyone-view of a stored card (for updating it in place after a click). */
  async publicView(cardId: string): Promise<{ main: AdaptiveCard; text: string } | undefined> {
    const card = await getCard(this.deps.store, cardId);
    if (!card) return undefined;
    const { main } = await this.cardsFor(cardId, card.message);
    return { main, text: card.message.text };
  }

  /** Learns the Teams ids of the people who may press this card's buttons, in this conversation. */
  private async learn(context: TurnContext, message: ChatMessage): Promise<void> {
    await this.learner(context, await wantedViewers(this.deps, message));
  }

  private cardsFor(cardId: string, message: ChatMessage): Promise<TeamsCards> {
    return publicCards(this.deps, cardId, message);
  }

  private async reference(conversation: string) {
    const stored = await getConversation(this.deps.store, conversation);
    if (!stored) throw conversationGone('teams', conversation, 'the app is not installed there');
    return stored;
  }

  /** One connector call in a proactive turn, paced and retried; gone conversations reported. */
  async send<T>(
    reference: Partial<ConversationReference>,
    conversation: string,
    operation: string,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    // No activityId: a send then goes to the conversation (sendToConversation) instead of
    // replying to whatever activity the reference was taken from; threads are `;messageid=`.
    const { activityId: _activityId, ...rest } = reference;
    const target = {
      ...rest,
      conversation: { ...reference.conversation, id: conversation },
    } as Partial<ConversationReference>;
    try {
      return await this.deps.sender.send(conversation, operation, () =>
        continueIn(this.deps.adapter, target, work),
      );
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && GONE_STATUSES.has(status)) {
        throw conversationGone('teams', conversation, codeOf(error) ?? `HTTP ${status}`, error);
      }
      throw error;
    }
  }
}

/** Runs `work` in a proactive turn of `reference` and returns what it returned. */
async function continueIn<T>(
  adapter: TeamsAdapter,
  reference: Partial<ConversationReference>,
  work: (context: TurnContext) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  await adapter.continueConversationAsync(adapter.appId, reference, async (context) => {
    ownRetries(context);
    // A proactive turn's sends would reply to the continuation's random activity id; without
    // replyToId they go to the conversation: a new post in a channel, a reply in a thread
    // (`;messageid=`), a message in a chat.
    context.onSendActivities(async (_context, activities, next) => {
      for (const activity of activities) delete activity.replyToId;
      return next();
    });
    result = await work(context);
  });
  return result as T;
}

/** A message activity carrying one Adaptive Card. */
export function cardActivity(card: AdaptiveCard, text: string): Partial<Activity> {
  return {
    type: 'message',
    summary: text.slice(0, 200),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
  };
}

/** The conversation id of a channel post's thread. */
function threadOf(posted: PostedMessage): string {
  return `${baseConversationId(posted.conversation)};messageid=${posted.id}`;
}

/** The connector's error code (`ConversationNotFound`, `BotNotInConversationRoster`). */
function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; body?: { error?: { code?: unknown } } } | undefined;
  const code = e?.body?.error?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}
