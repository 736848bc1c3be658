import type { RespondFn } from '@slack/bolt';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { buildSlackMessages } from './build-blocks.js';
import type { SlackBotDeps } from './slack-bot-deps.js';

const RESPONSE_URL_MAX = 5;

/** Slack errors that mean "the bot cannot post here", answered with how to fix it. */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * Sends a command's reply: ephemeral ones through `respond` (only the asker sees them), channel
 * ones through the paced poster so their thread can follow and buttons can update them later.
 */
export async function deliverMessage(
  message: ChatMessage,
  target: { channel: string; respond: RespondFn },
  deps: Pick<SlackBotDeps, 'poster' | 'log'>,
): Promise<void> {
  const built = buildSlackMessages(message);
  if (message.visibility === 'ephemeral') {
    // A response_url takes at most five messages (docs.slack.dev, "Handling user interaction").
    for (const payload of [built.main, ...built.thread].slice(0, RESPONSE_URL_MAX)) {
      await target.respond({ response_type: 'ephemeral', ...payload });
    }
    return;
  }
  try {
    await deps.poster.postWithThread(target.channel, built);
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    deps.log.warn(
      { channel: target.channel, error: describeError(error) },
      'posting a reply failed',
    );
    const hint =
      code && NOT_HERE.has(code)
        ? `I cannot post in this channel (${code}): invite me with /invite @driftwatch, then try again.`
        : `Could not post the reply: ${describeError(error)}`;
    await target.respond({ response_type: 'ephemeral', text: hint });
  }
}
