import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { loadActionContext } from '../../core/commands/action-context.js';
import { buttonCommand } from '../../core/commands/button-command.js';
import {
  type ChatActionKind,
  type ChatMessage,
  REMEDIATION_ACTION_KINDS,
} from '../../core/commands/chat-message.js';
import { chatSettings } from '../../core/commands/chat-settings.js';
import { formatChatTime } from '../../core/commands/format-chat-time.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { deliverMessage } from './deliver-message.js';
import { handleRemediationButton } from './handle-remediation.js';
import { markFindingHandled } from './mark-finding-handled.js';
import { runForSlack } from './run-for-slack.js';
import { slackActor } from './slack-actor.js';
import type { SlackBotDeps } from './slack-bot-deps.js';
import { richToMrkdwn, toMrkdwn } from './slack-mrkdwn.js';

/**
 * A summary button, after the ack: resolve its opaque id, run the matching command as the
 * clicker, then update the summary in place (accept, ignore) or answer only the clicker (show
 * diff, refusals, errors).
 */
export async function handleButton(
  body: BlockButtonAction,
  respond: RespondFn,
  deps: SlackBotDeps,
): Promise<void> {
  const action = body.actions[0];
  if (!action) return;
  const answer = (text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text });
  const kind = action.action_id.replace(/^drift_/, '').replace(/_/g, '-') as ChatActionKind;
  if (REMEDIATION_ACTION_KINDS.includes(kind))
    return handleRemediationButton(kind, body, respond, deps);
  const context = await loadActionContext(deps.store, action.value ?? '');
  if (!context)
    return void (await answer(
      'This summary is too old for its buttons. Run /drift status to get a fresh one.',
    ));
  const command = buttonCommand(kind, context, 'Slack');
  if (!command) return void (await answer(`Unknown button ${action.action_id}.`));

  const channel = body.channel?.id;
  const reply = await runForSlack(
    command,
    {
      actor: slackActor(body.user.id, body.user.name ?? body.user.username, deps.membership),
      ...(channel ? { channel } : {}),
    },
    deps,
  );
  const original = body.message;
  if (reply.outcome === 'ok' && kind !== 'show-diff' && channel && original?.ts) {
    const now = deps.clock.now();
    const when = formatChatTime(now, {
      timezone: chatSettings(deps.config).timezone,
      now,
      zoneName: true,
    });
    const blocks = markFindingHandled(
      original.blocks ?? [],
      action.value ?? '',
      `:white_check_mark: ${replyLine(reply.message)} · ${when}`,
    );
    try {
      await deps.poster.update(channel, original.ts, {
        text: original.text ?? reply.message.text,
        blocks,
      });
      return;
    } catch (error) {
      deps.log.warn({ error: describeError(error) }, 'updating the summary in place failed');
    }
  }
  await deliverMessage(
    { ...reply.message, visibility: 'ephemeral' },
    {
      channel: channel ?? '',
      respond: (m) => respond(typeof m === 'string' ? m : { ...m, replace_original: false }),
    },
    deps,
  );
}

/** The reply's first line as mrkdwn, with its mentions (rich block) when it has them. */
function replyLine(message: ChatMessage): string {
  const [first] = message.blocks;
  return first?.kind === 'rich' ? richToMrkdwn(first.parts) : toMrkdwn(message.text);
}
