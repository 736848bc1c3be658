import type { ChatActor } from '../../core/commands/authorise-command.js';
import type { CommandDeps } from '../../core/commands/command-ports.js';
import type { ScanProgressBoard } from '../../core/commands/follow-scan-progress.js';
import type { ChatCommand } from '../../core/commands/parse-command.js';
import { type CommandReply, runCommand } from '../../core/commands/run-command.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { createSlackNotifier, SLACK_INVOCATION } from './create-slack-notifier.js';
import type { SlackBotDeps } from './slack-bot-deps.js';
import { slackMention } from './slack-remediation-ref.js';

/** Runs a command for a Slack user in a channel, and records its outcome in metrics and logs. */
export async function runForSlack(
  input: string | ChatCommand,
  who: { actor: ChatActor; channel?: string },
  deps: SlackBotDeps,
): Promise<CommandReply> {
  const { store, config, clock, scan, devops, schedules, newId, reportLink, remediation } = deps;
  const commandDeps: CommandDeps = {
    store,
    config,
    clock,
    scan,
    actor: who.actor,
    invocation: SLACK_INVOCATION,
    mention: slackMention,
    ...(who.channel ? { conversation: { chat: 'slack', id: who.channel } } : {}),
    ...(devops ? { devops } : {}),
    ...(schedules ? { schedules } : {}),
    ...(newId ? { newId } : {}),
    ...(reportLink ? { reportLink } : {}),
    ...(remediation ? { remediation } : {}),
    ...(who.channel ? { scanProgress: progressBoard(who.channel, deps) } : {}),
  };
  const reply = await runCommand(input, commandDeps);
  const verb = reply.command?.verb ?? 'unknown';
  deps.metrics.commands.inc({ verb, outcome: reply.outcome });
  if (reply.outcome === 'failed') {
    deps.log.error({ verb, error: describeError(reply.error) }, 'command failed');
  } else {
    deps.log.info({ verb, outcome: reply.outcome }, 'command handled');
  }
  return reply;
}

/**
 * A scan's progress as a channel message through the paced poster (chat.postMessage, then
 * chat.update in place): the slash command's own ack is ephemeral and cannot be updated more
 * than five times through its response_url.
 */
function progressBoard(channel: string, deps: SlackBotDeps): ScanProgressBoard {
  const notifier = createSlackNotifier(deps.poster);
  return {
    ...deps.scanProgress,
    post: (message) => notifier.post(channel, message),
    update: (posted, message) => notifier.update(posted, message),
    onError: (error) =>
      deps.log.warn({ channel, error: describeError(error) }, 'showing scan progress failed'),
  };
}
