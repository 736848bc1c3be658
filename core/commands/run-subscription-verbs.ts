import { UsageError } from '../errors.js';
import {
  type ChatSubscription,
  listSubscriptions,
  removeSubscriptions,
  saveSubscription,
  subscriptionId,
} from '../schedule/chat-subscriptions.js';
import { nextRun, parseSchedule } from '../schedule/parse-schedule.js';
import type { ChatMessage } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import type { CommandDeps } from './command-ports.js';
import { DEFAULT_INVOCATION } from './command-usage.js';
import { formatChatTime } from './format-chat-time.js';
import type { ChatCommand } from './parse-command.js';
import { resolveScope } from './resolve-scope.js';

type Of<V extends ChatCommand['verb']> = Extract<ChatCommand, { verb: V }>;

/** `subscribe <scope> [schedule] …`: stores the subscription and tells the scheduler. */
export async function runSubscribeVerb(
  command: Of<'subscribe'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const channel = needChannel(deps);
  const chat = chatSettings(deps.config);
  const scope = await resolveScope(command.scope, deps.config, deps.store);
  const schedule = parseSchedule(
    command.schedule ?? chat.defaultSchedule,
    command.timezone ?? chat.timezone,
  );
  const now = deps.clock.now();
  const subscription: ChatSubscription = {
    id: subscriptionId(channel.chat, channel.id, scope),
    chat: channel.chat,
    conversation: channel.id,
    scope,
    schedule,
    minSeverity: command.minSeverity ?? chat.minSeverity,
    allClear: command.allClear,
    createdBy: deps.actor.id,
    createdAt: now.toISOString(),
  };
  await saveSubscription(deps.store, subscription);
  await deps.schedules?.upsert(subscription);
  const next = nextRun(schedule, now);
  const when = next
    ? formatChatTime(next, { timezone: schedule.timezone, now, zoneName: true })
    : 'never';
  const posts = subscription.allClear
    ? 'every time, with an all-clear when nothing drifted'
    : 'only when something changed';
  const line = `Subscribed this channel to ${scope}: ${schedule.text} (${schedule.timezone}), next ${when}; posts ${posts}, findings at or above ${subscription.minSeverity}.`;
  return {
    visibility: 'channel',
    text: line,
    tone: 'ok',
    blocks: [{ kind: 'text', text: line, tone: 'ok' }],
  };
}

/** `subscriptions`: this channel's subscriptions with their next run. */
export async function runSubscriptionsVerb(deps: CommandDeps): Promise<ChatMessage> {
  const channel = needChannel(deps);
  const subs = await listSubscriptions(deps.store, {
    chat: channel.chat,
    conversation: channel.id,
  });
  if (subs.length === 0) {
    const line = `This channel has no subscriptions. ${deps.invocation ?? DEFAULT_INVOCATION} subscribe <scope> daily 09:00 adds one.`;
    return { visibility: 'ephemeral', text: line, blocks: [{ kind: 'text', text: line }] };
  }
  const now = deps.clock.now();
  const lines = subs.map((s) => {
    const next = nextRun(s.schedule, now);
    const when = next
      ? formatChatTime(next, { timezone: s.schedule.timezone, now, zoneName: true })
      : 'never';
    return `${s.scope}: ${s.schedule.text} (${s.schedule.timezone}) · next ${when} · at or above ${s.minSeverity}${s.allClear ? ' · all-clear digest' : ''}`;
  });
  return {
    visibility: 'ephemeral',
    text: 'Subscriptions in this channel',
    header: 'Subscriptions in this channel',
    blocks: [{ kind: 'text', text: lines.join('\n') }],
  };
}

/** `unsubscribe <scope|all>`: removes this channel's subscriptions and their schedules. */
export async function runUnsubscribeVerb(
  command: Of<'unsubscribe'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const channel = needChannel(deps);
  const subs = await listSubscriptions(deps.store, {
    chat: channel.chat,
    conversation: channel.id,
  });
  const targets =
    command.scope === 'all'
      ? subs
      : subs.filter((s) => s.scope.toLowerCase() === command.scope.toLowerCase());
  if (targets.length === 0) {
    throw new UsageError(
      'usage.not-subscribed',
      `this channel is not subscribed to ${command.scope === 'all' ? 'anything' : command.scope}`,
    );
  }
  const removed = await removeSubscriptions(
    deps.store,
    targets.map((s) => s.id),
  );
  for (const s of removed) await deps.schedules?.remove(s.id);
  const line = `Unsubscribed this channel from ${removed.map((s) => s.scope).join(', ')}.`;
  return {
    visibility: 'channel',
    text: line,
    tone: 'ok',
    blocks: [{ kind: 'text', text: line, tone: 'ok' }],
  };
}

function needChannel(deps: CommandDeps): NonNullable<CommandDeps['conversation']> {
  if (!deps.conversation) {
    throw new UsageError('usage.no-channel', 'subscriptions belong to a channel: run this in one');
  }
  return deps.conversation;
}
