import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackNotifier } from '../../bot/slack/create-slack-notifier.js';
import { slackClientOptions } from '../../bot/slack/slack-client-options.js';
import { SlackPoster } from '../../bot/slack/slack-poster.js';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { isConversationGone } from '../../core/notify/notifier.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';

const TOKEN = 'xoxb-test-0000000022';
const message = (text: string, thread: string[] = []): ChatMessage => ({
  visibility: 'channel',
  text,
  blocks: [{ kind: 'text', text }],
  ...(thread.length ? { thread: thread.map((t) => ({ kind: 'text' as const, text: t })) } : {}),
});

describe('createSlackNotifier', () => {
  let sim: SlackSimulator;
  beforeAll(async () => {
    sim = await startSlackSimulator({
      token: TOKEN,
      channelIntervalMs: 0,
      archivedChannels: ['C0ARCHIVED'],
    });
  });
  afterAll(() => sim.close());
  const notifier = () =>
    createSlackNotifier(
      new SlackPoster({
        client: new webApi.WebClient(TOKEN, slackClientOptions({ slackApiUrl: sim.apiUrl })),
        minIntervalMs: 0,
      }),
    );

  it('posts the main message, its thread under it, replies in that thread and updates it in place', async () => {
    const slack = notifier();

    const posted = await slack.post('C0PROD', message('summary', ['more findings']));
    const reply = await slack.reply(posted, message('applied'));
    await slack.update(posted, message('summary (accepted)'));

    // A thread reply's notification text is the message's; its blocks carry the thread.
    const posts = sim.callsTo('chat.postMessage').map((c) => [c.args.text, c.args.thread_ts]);
    expect(posts).toEqual([
      ['summary', undefined],
      ['summary', posted.id],
      ['applied', posted.id],
    ]);
    expect(JSON.stringify(sim.callsTo('chat.postMessage')[1]?.args.blocks)).toContain(
      'more findings',
    );
    expect(reply.conversation).toBe('C0PROD');
    expect(sim.callsTo('chat.update').map((c) => [c.args.ts, c.args.text])).toEqual([
      [posted.id, 'summary (accepted)'],
    ]);
    expect([slack.chat, slack.invocation]).toEqual(['slack', '/drift']);
  });

  it('says an archived channel is gone, naming it and the reason', async () => {
    const error = await notifier()
      .post('C0ARCHIVED', message('summary'))
      .catch((e: unknown) => e);

    expect(isConversationGone(error)).toBe(true);
    expect((error as Error).message).toBe(
      'the bot can no longer post to slack conversation C0ARCHIVED (is_archived)',
    );
  });
});
