import { randomUUID } from 'node:crypto';
import type { App, BlockButtonAction } from '@slack/bolt';
import { parseCommand } from '../../core/commands/parse-command.js';
import { correlationIdNow } from '../bot-logger.js';
import { deliverMessage } from './deliver-message.js';
import { handleButton } from './handle-button.js';
import { runForSlack } from './run-for-slack.js';
import { slackActor } from './slack-actor.js';
import type { SlackBotDeps } from './slack-bot-deps.js';

/**
 * Wires `/drift` and the summary buttons. Each listener acks first (Slack wants an answer within
 * 3 s), then does the slow work and replies through `respond` or the poster. Bolt has verified
 * the request signature before any listener runs. Every request gets a correlation id in its logs.
 */
export function registerListeners(app: App, deps: SlackBotDeps): void {
  app.command('/drift', async ({ command, ack, respond }) => {
    await ack(quickAck(command.text));
    const log = deps.log.child({
      correlationId: correlationIdNow() ?? randomUUID(),
      user: command.user_id,
      channel: command.channel_id,
    });
    const actor = slackActor(command.user_id, command.user_name, deps.membership);
    const reply = await runForSlack(
      command.text,
      { actor, channel: command.channel_id },
      { ...deps, log },
    );
    await deliverMessage(reply.message, { channel: command.channel_id, respond }, { ...deps, log });
  });

  app.action<BlockButtonAction>(/^drift_/, async ({ ack, body, action, respond }) => {
    await ack();
    const log = deps.log.child({
      correlationId: correlationIdNow() ?? randomUUID(),
      user: body.user.id,
      action: action.action_id,
    });
    await handleButton(body, respond, { ...deps, log });
  });
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
