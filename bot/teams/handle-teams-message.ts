import { type Activity, TurnContext } from 'botbuilder';
import { type ChatMessage, ephemeral } from '../../core/commands/chat-message.js';
import type { CommandDeps } from '../../core/commands/command-ports.js';
import { parseCommand } from '../../core/commands/parse-command.js';
import { runCommand } from '../../core/commands/run-command.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { ownRetries } from './create-teams-adapter.js';
import { type TeamsUser, teamsActor, teamsMention } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import { baseConversationId } from './teams-conversations.js';

/**
 * A command typed to the bot: `@driftwatch scan prod` in a channel or group chat (the mention is
 * removed through the activity's mention entity), `scan prod` in a 1:1 chat. The same grammar,
 * authorisation and answers as Slack, through the chat-agnostic command layer, as the user's
 * Entra object id. The HTTP request is answered at once (Teams waits about 15 s; a scan takes
 * longer): the command runs in the background and its answer is posted in the same conversation
 * (the post's thread in a channel) as a card.
 */
export async function handleTeamsMessage(
  context: TurnContext,
  user: TeamsUser | undefined,
  deps: TeamsBotDeps,
): Promise<void> {
  const activity = context.activity;
  const text = commandText(activity);
  const conversation = replyTarget(activity);
  const reference = TurnContext.getConversationReference(activity);
  const log = deps.log.child({
    conversation: baseConversationId(conversation),
    user: user?.aadObjectId,
  });
  if (!user) {
    await reply(
      ephemeral(
        'driftwatch acts only for people signed in with an Entra ID account (this message had no aadObjectId).',
        'error',
      ),
    );
    return;
  }
  if (startsScan(text)) {
    ownRetries(context);
    await deps.sender
      .send(conversation, 'typing', () => context.sendActivity({ type: 'typing' }))
      .catch(() => undefined);
  }
  deps.background(async () => {
    const actor = teamsActor(user, deps.membership);
    const commandDeps: CommandDeps = {
      store: deps.store,
      config: deps.config,
      clock: deps.clock,
      scan: deps.scan,
      actor,
      conversation: { chat: 'teams', id: baseConversationId(conversation) },
      invocation: deps.invocation,
      mention: teamsMention,
      ...(deps.devops ? { devops: deps.devops } : {}),
      ...(deps.schedules ? { schedules: deps.schedules } : {}),
      ...(deps.newId ? { newId: deps.newId } : {}),
      ...(deps.reportLink ? { reportLink: deps.reportLink } : {}),
      ...(deps.remediation ? { remediation: deps.remediation } : {}),
      scanProgress: {
        ...deps.scanProgress,
        // In the thread the answer goes to; then the card is replaced in place.
        post: (message) => deps.notifier.respond(reference, conversation, message),
        update: (posted, message) => deps.notifier.update(posted, message),
        onError: (error) =>
          log.warn({ error: describeError(error) }, 'showing scan progress failed'),
      },
    };
    const result = await runCommand(text, commandDeps);
    const verb = result.command?.verb ?? 'unknown';
    deps.metrics.commands.inc({ verb, outcome: result.outcome });
    if (result.outcome === 'failed')
      log.error({ verb, error: describeError(result.error) }, 'command failed');
    else log.info({ verb, outcome: result.outcome }, 'command handled');
    await reply(result.message);
  });

  async function reply(message: ChatMessage): Promise<void> {
    try {
      await deps.notifier.respond(reference, conversation, message);
    } catch (error) {
      log.warn({ error: describeError(error) }, 'posting a reply failed');
    }
  }
}

/**
 * The command in a message: the bot's mention removed (`removeRecipientMention` matches the
 * mention entity naming the recipient), Teams' non-breaking spaces normalised, and any leading
 * mention tag of the bot by another spelling dropped.
 */
export function commandText(activity: Partial<Activity>): string {
  const withoutMention = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  return withoutMention
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/^\s*<at>[^<]*<\/at>/i, '')
    .trim();
}

/**
 * Where the answer goes: in a channel, the thread of the post (the root named in the conversation
 * id's `;messageid=`, or the post itself when it starts the thread); in chats, the chat.
 */
function replyTarget(activity: Activity): string {
  const id = activity.conversation.id;
  if (activity.conversation.conversationType !== 'channel') return baseConversationId(id);
  const root = /;messageid=(\d+)/.exec(id)?.[1] ?? activity.id;
  return root ? `${baseConversationId(id)};messageid=${root}` : baseConversationId(id);
}

function startsScan(text: string): boolean {
  try {
    return parseCommand(text).verb === 'scan';
  } catch {
    return false;
  }
}
