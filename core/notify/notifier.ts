import type { ChatMessage } from '../commands/chat-message.js';
import { HttpError } from '../errors.js';

/** The chats driftwatch speaks in; each has one adapter in `bot/<chat>/`. */
export const CHAT_KINDS = ['slack', 'teams'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

/** A message a notifier posted: enough to update it in place or to reply in its thread. */
export interface PostedMessage {
  /** Where it is: a Slack channel id, a Teams conversation id. */
  conversation: string;
  /** Which message: a Slack `ts`, a Teams activity id. */
  id: string;
}

/**
 * The outbound port of one chat: post a neutral {@link ChatMessage} to a conversation, replace it
 * in place, reply in its thread. Each adapter renders the message in its own format (Block Kit,
 * Adaptive Cards), enforces its own limits and paces itself. A conversation the bot can no longer
 * post to (archived, deleted, app uninstalled) is reported with {@link conversationGone}, so the
 * scheduler ends its subscriptions instead of failing every tick; every other failure is thrown
 * as is.
 *
 * @example
 * const posted = await notifier.post('C0PROD', message); // main message, then its thread
 * await notifier.update(posted, updated);
 */
export interface Notifier {
  readonly chat: ChatKind;
  /** How a user types a command in this chat (`/drift`, `@driftwatch`), for scheduled messages. */
  readonly invocation: string;
  /** Posts `message`, then its `thread` blocks as replies under it; returns the main message. */
  post(conversation: string, message: ChatMessage): Promise<PostedMessage>;
  /** Replaces a posted message in place (its `thread` is not posted again). */
  update(posted: PostedMessage, message: ChatMessage): Promise<void>;
  /** Posts `message` as a reply in the thread of `posted`. */
  reply(posted: PostedMessage, message: ChatMessage): Promise<PostedMessage>;
}

/** The notifier of each chat that is mounted; a host without Teams has no `teams` entry. */
export type Notifiers = Partial<Record<ChatKind, Notifier>>;

const GONE = 'chat.conversation-gone';

/**
 * The error a notifier throws when the conversation is gone for good (`reason` is the chat's own
 * word for it, e.g. Slack `is_archived`, Teams `ConversationNotFound`).
 */
export function conversationGone(
  chat: ChatKind,
  conversation: string,
  reason: string,
  cause?: unknown,
): HttpError {
  return new HttpError(
    GONE,
    `the bot can no longer post to ${chat} conversation ${conversation} (${reason})`,
    {
      cause,
      details: { chat, conversation, reason },
    },
  );
}

/** Whether `error` says the conversation is gone for good (see {@link conversationGone}). */
export function isConversationGone(error: unknown): boolean {
  return error instanceof HttpError && error.code === GONE;
}
