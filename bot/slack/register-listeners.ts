import { randomUUID } from 'node:crypto';
import type { App, BlockButtonAction } from '@slack/bolt';
import { loadActionContext } from '../../core/commands/action-context.js';
import type { ChatActionKind } from '../../core/commands/chat-message.js';
import { chatSettings } from '../../core/commands/chat-settings.js';
import { formatChatTime } from '../../core/commands/format-chat-time.js';
import { type ChatCommand, parseCommand } from '../../core/commands/parse-command.js';
import { type CommandReply, runCommand } from '../../core/commands/run-command.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { deliverMessage } from './deliver-message.js';
import { markFindingHandled } from './mark-finding-handled.js';
import { slackActor } from './slack-actor.js';
import type { SlackBotDeps } from './slack-bot-deps.js';
import { toMrkdwn } from './slack-mrkdwn.js';

const SEVEN_DAYS_MS = 7 * 86_400_000;

/**
 * Wires `/drift` and the summary buttons. Each listener acks first (Slack wants an answer within
 * 3 s), then does the slow work and replies through `respond` or the poster. Bolt has verified
 * the request signature before any listener runs.
 */
export function registerListeners(app: App, deps: SlackBotDeps): void {
  app.command('/drift', async ({ command, ack, respond }) => {
    await ack(quickAck(command.text));
    const log = deps.log.child({
      correlationId: randomUUID(),
      user: command.user_id,
      channel: command.channel_id,
    });
    const reply = await runCommand(command.text, {
      ...commandDeps(deps),
      actor: slackActor(command.user_id, command.user_name, deps.membership),
      channel: { host: 'slack', id: command.channel_id },
    });
    record(deps, reply, log);
    await deliverMessage(reply.message, { channel: command.channel_id, respond }, { ...deps, log });
  });

  app.action<BlockButtonAction>(/^drift_/, async ({ ack, body, action, respond }) => {
    await ack();
    const log = deps.log.child({
      correlationId: randomUUID(),
      user: body.user.id,
      action: action.action_id,
    });
    const kind = action.action_id.replace(/^drift_/, '').replace(/_/g, '-') as ChatActionKind;
    const context = await loadActionContext(deps.store, action.value ?? '');
    if (!context) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This summary is too old for its buttons. Run /drift status to get a fresh one.',
      });
      return;
    }
    const finding = {
      fingerprint: context.fingerprint,
      scope: context.scope,
      reportId: context.reportId,
    };
    const command = commandFor(kind, finding);
    if (!command) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Remediation from chat is not available yet.',
      });
      return;
    }
    const reply = await runCommand(command, {
      ...commandDeps(deps),
      actor: slackActor(body.user.id, body.user.name ?? body.user.username, deps.membership),
      ...(body.channel ? { channel: { host: 'slack', id: body.channel.id } } : {}),
    });
    record(deps, reply, log);
    const channel = body.channel?.id;
    const original = body.message;
    if (reply.outcome === 'ok' && kind !== 'show-diff' && channel && original?.ts) {
      const now = deps.clock.now();
      const when = formatChatTime(now, {
        timezone: chatSettings(deps.config).timezone,
        now,
        zoneName: true,
      });
      const line = `:white_check_mark: ${toMrkdwn(reply.message.text)} · ${when}`;
      const blocks = markFindingHandled(original.blocks ?? [], action.value ?? '', line);
      try {
        await deps.poster.update(channel, original.ts, {
          text: original.text ?? reply.message.text,
          blocks,
        });
        return;
      } catch (error) {
        log.warn({ error: describeError(error) }, 'updating the summary in place failed');
      }
    }
    const ephemeral = { ...reply.message, visibility: 'ephemeral' as const };
    await deliverMessage(
      ephemeral,
      {
        channel: channel ?? '',
        respond: (m) => respond(typeof m === 'string' ? m : { ...m, replace_original: false }),
      },
      { ...deps, log },
    );
  });
}

function commandFor(
  kind: ChatActionKind,
  finding: { fingerprint: string; scope: string; reportId: string },
): ChatCommand | undefined {
  switch (kind) {
    case 'show-diff':
      return { verb: 'show', finding };
    case 'accept':
      return { verb: 'accept', finding, reason: 'accepted from a Slack summary' };
    case 'ignore-7d':
      return {
        verb: 'ignore',
        target: { kind: 'finding', finding },
        durationMs: SEVEN_DAYS_MS,
        durationText: '7d',
      };
    default:
      return undefined;
  }
}

/** `scan` takes a while: say so right away; everything else acks silently. */
function quickAck(text: string): string | undefined {
  try {
    const command = parseCommand(text);
    if (command.verb === 'scan') return `Scanning${command.scope ? ` ${command.scope}` : ''}…`;
  } catch {
    // Parse errors are answered by runCommand right after the ack.
  }
  return undefined;
}

function commandDeps(deps: SlackBotDeps) {
  const { store, config, clock, scan, devops, schedules, newId } = deps;
  return {
    store,
    config,
    clock,
    scan,
    ...(devops ? { devops } : {}),
    ...(schedules ? { schedules } : {}),
    ...(newId ? { newId } : {}),
  };
}

function record(deps: SlackBotDeps, reply: CommandReply, log: SlackBotDeps['log']): void {
  const verb = reply.command?.verb ?? 'unknown';
  deps.metrics.commands.inc({ verb, outcome: reply.outcome });
  if (reply.outcome === 'failed')
    log.error({ verb, error: describeError(reply.error) }, 'command failed');
  else log.info({ verb, outcome: reply.outcome }, 'command handled');
}
