import type { SimConversation, SimMember } from './sim-conversations.js';

/** What every inbound activity shares; `deliver` fills `id`, `timestamp`, `serviceUrl`. */
export interface InboundContext {
  conversation: SimConversation;
  from: SimMember;
  /** The bot's app id (its Teams id is `28:<appId>`). */
  botAppId: string;
  botName: string;
}

export type InboundActivity = Record<string, unknown> & { type: string };

/** `from`, `recipient`, `conversation`, `channelData` as Teams sends them for this conversation. */
export function inboundEnvelope(ctx: InboundContext): InboundActivity {
  const { conversation, from } = ctx;
  const channelData: Record<string, unknown> = { tenant: { id: conversation.tenantId } };
  if (conversation.conversationType === 'channel') {
    channelData.team = { id: conversation.teamId ?? conversation.id, name: conversation.name };
    channelData.channel = { id: conversation.id.split(';messageid=')[0], name: conversation.name };
  }
  return {
    type: 'message',
    channelId: 'msteams',
    locale: 'en-GB',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: `28:${ctx.botAppId}`, name: ctx.botName },
    conversation: {
      id: conversation.id,
      conversationType: conversation.conversationType,
      tenantId: conversation.tenantId,
      ...(conversation.conversationType === 'personal' ? {} : { isGroup: true }),
      ...(conversation.name ? { name: conversation.name } : {}),
    },
    channelData,
  };
}

/**
 * A message as Teams delivers it. In channels and group chats the bot is @mentioned: the text
 * starts with `<at>name</at>` and a `mention` entity names the bot; in 1:1 chat there is no mention
 * unless `mention: true`.
 */
export function messageActivity(
  ctx: InboundContext,
  text: string,
  options: { mention?: boolean } = {},
): InboundActivity {
  const mention = options.mention ?? ctx.conversation.conversationType !== 'personal';
  const tag = `<at>${ctx.botName}</at>`;
  return {
    ...inboundEnvelope(ctx),
    type: 'message',
    text: mention ? `${tag} ${text}` : text,
    textFormat: 'plain',
    entities: [
      ...(mention
        ? [
            {
              type: 'mention',
              text: tag,
              mentioned: { id: `28:${ctx.botAppId}`, name: ctx.botName },
            },
          ]
        : []),
      {
        type: 'clientInfo',
        locale: 'en-GB',
        country: 'GB',
        platform: 'Web',
        timezone: 'Europe/London',
      },
    ],
  };
}

/**
 * An Universal Action invoke (`adaptiveCard/action`): a click on an `Action.Execute` button
 * (`trigger: 'manual'`) or a card refresh (`trigger: 'automatic'`). `replyToId` is the card's
 * message id; the bot answers in the HTTP response.
 */
export function adaptiveCardInvoke(
  ctx: InboundContext,
  action: { verb: string; data?: unknown; trigger?: 'manual' | 'automatic'; replyToId?: string },
): InboundActivity {
  return {
    ...inboundEnvelope(ctx),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(action.replyToId ? { replyToId: action.replyToId } : {}),
    value: {
      action: { type: 'Action.Execute', verb: action.verb, data: action.data ?? {} },
      trigger: action.trigger ?? 'manual',
    },
  };
}

/** The app was installed (`add`) in or removed (`remove`) from the conversation. */
export function installationUpdateActivity(
  ctx: InboundContext,
  action: 'add' | 'remove',
): InboundActivity {
  return { ...inboundEnvelope(ctx), type: 'installationUpdate', action };
}

/** Members joined or left; the bot itself is `28:<appId>` (how Teams reports install in a team). */
export function conversationUpdateActivity(
  ctx: InboundContext,
  change: { membersAdded?: string[]; membersRemoved?: string[]; eventType?: string },
): InboundActivity {
  const envelope = inboundEnvelope(ctx);
  const accounts = (ids: string[] | undefined) => ids?.map((id) => ({ id }));
  const channelData = {
    ...(envelope.channelData as object),
    ...(change.eventType ? { eventType: change.eventType } : {}),
  };
  return {
    ...envelope,
    type: 'conversationUpdate',
    channelData,
    ...(change.membersAdded ? { membersAdded: accounts(change.membersAdded) } : {}),
    ...(change.membersRemoved ? { membersRemoved: accounts(change.membersRemoved) } : {}),
  };
}
