import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackClientOptions } from '../../bot/slack/slack-client-options.js';
import { SlackPoster } from '../../bot/slack/slack-poster.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';

const TOKEN = 'xoxb-test-0000000001';
const payload = (text: string) => ({
  text,
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
});

describe('SlackPoster', () => {
  let sim: SlackSimulator;
  let clock: number;
  let waits: string[];
  const fakeSleep = async (ms: number) => {
    clock += ms;
  };

  beforeEach(async () => {
    clock = 1_000_000;
    waits = [];
    sim = await startSlackSimulator({
      token: TOKEN,
      now: () => clock,
      channelIntervalMs: 1000,
      retryAfterSeconds: 2,
    });
  });
  afterEach(() => sim.close());

  const poster = (minIntervalMs: number) =>
    new SlackPoster({
      client: new webApi.WebClient(TOKEN, slackClientOptions({ slackApiUrl: sim.apiUrl })),
      minIntervalMs,
      sleep: fakeSleep,
      now: () => clock,
      onWait: (ms, reason) => waits.push(`${reason} ${ms}`),
    });

  it('paces posts to one channel at one per second, so Slack never answers 429', async () => {
    const slack = poster(1000);

    await Promise.all([
      slack.post('C1', payload('a')),
      slack.post('C1', payload('b')),
      slack.post('C1', payload('c')),
    ]);

    expect(sim.callsTo('chat.postMessage').map((c) => [c.status, c.args.text])).toEqual([
      [200, 'a'],
      [200, 'b'],
      [200, 'c'],
    ]);
    expect(waits).toEqual(['pace 1000', 'pace 1000']);
  });

  it('does not make one channel wait for another', async () => {
    const slack = poster(1000);

    await Promise.all([slack.post('C1', payload('a')), slack.post('C2', payload('b'))]);

    expect(waits).toEqual([]);
  });

  it('waits the Retry-After of a 429 and then posts', async () => {
    const slack = poster(0);

    await slack.post('C1', payload('a'));
    await slack.post('C1', payload('b'));

    expect(sim.callsTo('chat.postMessage').map((c) => [c.status, c.args.text])).toEqual([
      [200, 'a'],
      [429, 'b'],
      [200, 'b'],
    ]);
    expect(waits).toEqual(['retry-after 2000']);
  });

  it('posts a thread under its main message', async () => {
    const slack = poster(1000);

    const { ts, replies } = await slack.postWithThread('C1', {
      main: payload('main'),
      thread: [payload('r1'), payload('r2')],
    });

    const posted = sim.callsTo('chat.postMessage');
    expect(posted.map((c) => c.args.thread_ts)).toEqual([undefined, ts, ts]);
    expect(replies).toHaveLength(2);
  });

  it('passes Slack errors through, e.g. invalid_blocks for blocks over the limits', async () => {
    const slack = poster(0);
    const tooMany = {
      text: 't',
      blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })),
    };

    await expect(slack.post('C1', tooMany)).rejects.toThrow(
      'An API error occurred: invalid_blocks',
    );
    expect(sim.callsTo('chat.postMessage')[0]?.response).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 51 items [json-pointer:/blocks]'],
    });
  });
});
