import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackSimulator, startSlackSimulator } from './slack-simulator.js';

const TOKEN = 'xoxb-sim-0000000000006';
const noRetry = { retries: 0 };

describe('Slack simulator', () => {
  let sim: SlackSimulator;
  let client: webApi.WebClient;

  beforeEach(async () => {
    sim = await startSlackSimulator({
      token: TOKEN,
      users: { U1: { name: 'ada', real_name: 'Ada Lovelace', tz: 'Europe/London' } },
      usergroups: { S1: ['U1', 'U2'] },
    });
    client = new webApi.WebClient(TOKEN, {
      slackApiUrl: sim.apiUrl,
      retryConfig: noRetry,
      rejectRateLimitedCalls: true,
    });
  });
  afterEach(() => sim.close());

  it('answers the methods the bot uses, as Slack shapes them', async () => {
    const auth = await client.auth.test();
    const user = await client.users.info({ user: 'U1' });
    const group = await client.usergroups.users.list({ usergroup: 'S1' });
    const ephemeral = await client.chat.postEphemeral({
      channel: 'C1',
      user: 'U1',
      text: 'only you',
    });
    const view = await client.views.open({
      trigger_id: '1.2',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Ignore' },
        blocks: [{ type: 'divider' }],
      },
    });

    expect([auth.ok, auth.user_id]).toEqual([true, 'U0BOT']);
    expect(user.user?.real_name).toBe('Ada Lovelace');
    expect(group.users).toEqual(['U1', 'U2']);
    expect(ephemeral.ok).toBe(true);
    expect(view.view?.id).toMatch(/^V\d+$/);
    expect(sim.unexpected).toEqual([]);
  });

  it.each([
    [
      'a wrong token',
      () =>
        new webApi.WebClient('xoxb-wrong-000000', {
          slackApiUrl: sim.apiUrl,
          retryConfig: noRetry,
        }).auth.test(),
      'invalid_auth',
    ],
    ['an unknown user', () => client.users.info({ user: 'U404' }), 'user_not_found'],
    [
      'an unknown user group',
      () => client.usergroups.users.list({ usergroup: 'S404' }),
      'no_such_subteam',
    ],
    [
      'text over 40,000 characters',
      () => client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }),
      'msg_too_long',
    ],
    [
      'a header over 150 characters',
      () =>
        client.chat.postMessage({
          channel: 'C1',
          text: 't',
          blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        }),
      'invalid_blocks',
    ],
    [
      'updating a message that does not exist',
      () => client.chat.update({ channel: 'C1', ts: '1.1', text: 't' }),
      'message_not_found',
    ],
  ])('refuses %s with Slack’s error', async (_case, call, error) => {
    await expect(call()).rejects.toMatchObject({ data: { ok: false, error } });
  });

  it('names every limit a message breaks, with json-pointers', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'a',
            text: { type: 'plain_text', text: 'b'.repeat(76) },
            value: 'v'.repeat(2001),
          },
        ],
      },
      {
        type: 'context',
        elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })),
      },
    ];

    await expect(
      client.chat.postMessage({ channel: 'C1', text: 't', blocks: blocks as never }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: [
          'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
          'must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]',
          'must be less than 2001 characters [json-pointer:/blocks/1/elements/0/value]',
          'must be between 1 and 10 items [json-pointer:/blocks/2/elements]',
        ],
      },
    });
  });

  it('rate-limits a second post to a channel within a second with 429 and Retry-After', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'one' });

    await expect(client.chat.postMessage({ channel: 'C1', text: 'two' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    await expect(
      client.chat.postMessage({ channel: 'C2', text: 'other channel' }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('records a method it does not know as unexpected', async () => {
    await expect(client.apiCall('conversations.kick', { channel: 'C1' })).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    expect(sim.unexpected).toEqual(['unknown Web API method conversations.kick']);
  });
});
