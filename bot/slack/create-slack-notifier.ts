import { conversationGone, type Notifier } from '../../core/notify/notifier.js';
import { buildSlackMessages } from './build-blocks.js';
import type { SlackPoster } from './slack-poster.js';

/** Slack errors that mean the channel is gone for good: its subscriptions end. */
const CHANNEL_GONE = new Set(['channel_not_found', 'is_archived']);

/** How Slack users run driftwatch: the slash command in the app manifest. */
export const SLACK_INVOCATION = '/drift';

/**
 * The Slack notifier: Block Kit through the paced poster (one message per second per channel,
 * 429 Retry-After honoured); `post` puts the message's thread under it. An archived or deleted
 * channel becomes the core's conversation-gone error.
 *
 * @example
 * const notifier = createSlackNotifier(poster);
 * const posted = await notifier.post('C0PROD', message);
 */
export function createSlackNotifier(poster: SlackPoster): Notifier {
  const gone = async <T>(channel: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && CHANNEL_GONE.has(code)) throw conversationGone('slack', channel, code, error);
      throw error;
    }
  };
  return {
    chat: 'slack',
    invocation: SLACK_INVOCATION,
    post: (channel, message) =>
      gone(channel, async () => {
        const { ts } = await poster.postWithThread(channel, buildSlackMessages(message));
        return { conversation: channel, id: ts };
      }),
    update: (posted, message) =>
      gone(posted.conversation, () =>
        poster.update(posted.conversation, posted.id, buildSlackMessages(message).main),
      ),
    reply: (posted, message) =>
      gone(posted.conversation, async () => {
        const built = buildSlackMessages(message);
        const id = await poster.post(posted.conversation, built.main, posted.id);
        for (const more of built.thread) await poster.post(posted.conversation, more, posted.id);
        return { conversation: posted.conversation, id };
      }),
  };
}
