import { type Activity, TurnContext } from 'botbuilder';
import { listSubscriptions, removeSubscriptions } from '../../core/schedule/chat-subscriptions.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import {
  baseConversationId,
  forgetConversations,
  getConversation,
  type StoredConversation,
  saveConversation,
} from './teams-conversations.js';

/** Teams' `channelData` fields this module reads. */
interface TeamsChannelData {
  eventType?: string;
  team?: { id?: string };
  channel?: { id?: string };
}

/**
 * Keeps the conversations the bot may post to: an install (`installationUpdate` add, or the bot
 * among `membersAdded` of a `conversationUpdate`) stores the conversation reference; an uninstall
 * (`installationUpdate` remove, the bot among `membersRemoved`, the team or channel deleted)
 * forgets it, with every channel of the team, and ends their subscriptions.
 */
export async function trackInstallation(context: TurnContext, deps: TeamsBotDeps): Promise<void> {
  const activity = context.activity;
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const botId = activity.recipient?.id;
  const teamId = data.team?.id;
  if (activity.type === 'installationUpdate') {
    const action = String(activity.action ?? '');
    if (action.startsWith('add')) await remember(activity, deps);
    else if (action.startsWith('remove')) await forget(deps, activity.conversation.id, teamId);
    return;
  }
  if (activity.type !== 'conversationUpdate') return;
  if (data.eventType === 'teamDeleted') return void (await forget(deps, undefined, teamId));
  if (data.eventType === 'channelDeleted' && data.channel?.id)
    return void (await forget(deps, data.channel.id));
  if (activity.membersRemoved?.some((m) => m.id === botId))
    return void (await forget(deps, activity.conversation.id, teamId));
  if (activity.membersAdded?.some((m) => m.id === botId)) await remember(activity, deps);
}

/**
 * Stores the reference of the conversation a message came from when it is not stored yet (a
 * channel of a team the bot was installed in, or an install event this replica never saw).
 */
export async function rememberIfNew(activity: Activity, deps: TeamsBotDeps): Promise<void> {
  if (await getConversation(deps.store, activity.conversation.id)) return;
  await remember(activity, deps);
}

async function remember(activity: Activity, deps: TeamsBotDeps): Promise<void> {
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const kind = activity.conversation.conversationType;
  const conversation: StoredConversation = {
    reference: TurnContext.getConversationReference(activity),
    type: kind === 'channel' || kind === 'groupChat' ? kind : 'personal',
    ...(data.team?.id ? { teamId: data.team.id } : {}),
    savedAt: deps.clock.now().toISOString(),
  };
  const id = await saveConversation(deps.store, conversation);
  deps.log.info({ conversation: id, type: conversation.type }, 'teams conversation installed');
}

async function forget(deps: TeamsBotDeps, conversationId?: string, teamId?: string) {
  const gone = await forgetConversations(deps.store, {
    ...(conversationId ? { conversationId: baseConversationId(conversationId) } : {}),
    ...(teamId ? { teamId } : {}),
  });
  const subscriptions = (await listSubscriptions(deps.store, { chat: 'teams' })).filter((s) =>
    gone.includes(s.conversation),
  );
  await removeSubscriptions(
    deps.store,
    subscriptions.map((s) => s.id),
  );
  for (const s of subscriptions) await deps.schedules?.remove(s.id);
  deps.log.info(
    { conversations: gone, subscriptions: subscriptions.length },
    'teams app removed: conversations forgotten',
  );
}
