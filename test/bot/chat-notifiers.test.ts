import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { answerJson } from '../../bot/http/create-bot-server.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import { fixedClock } from '../../core/clock.js';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { conversationGone, type Notifier, type PostedMessage } from '../../core/notify/notifier.js';
import {
  type ChatSubscription,
  getSubscription,
  saveSubscription,
  subscriptionId,
} from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import {
  fakeConfig,
  fakeFinding,
  fakeReport,
  fakeScanner,
  fakeStore,
  NOW,
} from '../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000021';
const SECRET = 'sim-signing-secret-notifiers-0123';
const TEAMS_CHANNEL = '19:b2d5e0c8a1f94c3e@thread.tacv2';
const GONE_CHAT = 'a:1removed-personal-chat';

/** A Teams notifier that records what it was asked to post; one conversation is uninstalled. */
function fakeTeamsNotifier() {
  const posts: { conversation: string; message: ChatMessage }[] = [];
  const notifier: Notifier = {
    chat: 'teams',
    invocation: '@driftwatch',
    async post(conversation, message): Promise<PostedMessage> {
      if (conversation === GONE_CHAT) throw conversationGone('teams', conversation, 'uninstalled');
      posts.push({ conversation, message });
      return { conversation, id: `activity-${posts.length}` };
    },
    async update() {
      throw new Error('not used by the scheduler');
    },
    async reply() {
      throw new Error('not used by the scheduler');
    },
  };
  return { notifier, posts };
}

const subscription = (chat: 'slack' | 'teams', conversation: string, scope: string) =>
  ({
    id: subscriptionId(chat, conversation, scope),
    chat,
    conversation,
    scope,
    schedule: parseSchedule('daily 09:00', 'UTC'),
    minSeverity: 'low',
    allClear: false,
    createdBy: chat === 'slack' ? 'UADMIN1' : '00000000-0000-0000-0000-00000000a001',
    createdAt: NOW,
  }) satisfies ChatSubscription;

describe('the bot host with two chat adapters', () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  const teams = fakeTeamsNotifier();

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const { scan } = fakeScanner(store, {
      prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
    });
    bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SECRET,
      store,
      scan: async (scope) => {
        if (scope === 'dev') throw new Error('ARM answered 503');
        return scan(scope);
      },
      adapters: [
        (host) => {
          host.http.route('POST', '/api/messages', (_req, res) => answerJson(res, 202, {}));
          host.readiness.add('teams', async () => ({ ok: true, note: 'authentication is off' }));
          return { notifier: teams.notifier };
        },
      ],
    });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  it("serves another adapter's route and readiness on the same server as Slack", async () => {
    const messages = await fetch(`${bot.url}/api/messages`, { method: 'POST', body: '{}' });
    const ready = await fetch(`${bot.url}/readyz`);

    expect(messages.status).toBe(202);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', teams: 'authentication is off' },
    });
  });

  it("posts each subscription's summary through the notifier of its own chat", async () => {
    await saveSubscription(store, subscription('slack', 'C0PROD', 'prod'));
    await saveSubscription(store, subscription('teams', TEAMS_CHANNEL, 'prod'));

    await bot.runTick(subscriptionId('slack', 'C0PROD', 'prod'));
    await bot.runTick(subscriptionId('teams', TEAMS_CHANNEL, 'prod'));

    expect(sim.callsTo('chat.postMessage').map((c) => [c.args.channel, c.args.text])).toEqual([
      ['C0PROD', 'Drift in prod · 1 critical'],
    ]);
    expect(teams.posts.map((p) => [p.conversation, p.message.text])).toEqual([
      [TEAMS_CHANNEL, 'Drift in prod · 1 critical'],
    ]);
  });

  it("names the retry command the way the subscription's chat types it", async () => {
    await saveSubscription(store, subscription('teams', TEAMS_CHANNEL, 'dev'));

    await bot.runTick(subscriptionId('teams', TEAMS_CHANNEL, 'dev'));

    const failed = teams.posts.at(-1)?.message;
    expect(failed?.text).toBe('Scheduled scan of dev failed: ARM answered 503');
    expect(failed?.blocks.at(-1)).toEqual({
      kind: 'context',
      lines: ['I will say so once it works again; @driftwatch scan dev retries now'],
    });
  });

  it('ends the subscriptions of a conversation the other chat says is gone', async () => {
    const gone = subscription('teams', GONE_CHAT, 'prod');
    await saveSubscription(store, gone);

    await bot.runTick(gone.id);

    expect(await getSubscription(store, gone.id)).toBeUndefined();
  });
});

describe('a bot without the Teams adapter', () => {
  it('keeps a Teams subscription and counts its tick as failed instead of posting anywhere', async () => {
    const sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    const store = await fakeStore();
    const { scan } = fakeScanner(store, {
      prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
    });
    const bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SECRET,
      store,
      scan,
      poster: undefined,
    });
    const teamsOnly = subscription('teams', TEAMS_CHANNEL, 'prod');
    await saveSubscription(store, teamsOnly);

    await bot.runTick(teamsOnly.id);
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    await bot.close();
    await sim.close();

    expect(await getSubscription(store, teamsOnly.id)).toEqual(teamsOnly);
    expect(metrics).toContain('driftwatch_scheduled_summaries_total{outcome="failed"} 1');
    expect(sim.callsTo('chat.postMessage')).toEqual([]);
    await store.close();
  });
});

describe('a bot without Slack (Teams only)', () => {
  it('starts with no Slack credentials when another chat runs, and serves no Slack route', async () => {
    const store = await fakeStore();
    const teams = fakeTeamsNotifier();
    const bot = await startBot({
      env: readBotEnv({ PORT: '0' }, { otherChat: true }),
      config: fakeConfig(),
      store,
      clock: fixedClock(NOW),
      scan: fakeScanner(store, {}).scan,
      log: createBotLogger({ level: 'silent' }),
      host: '127.0.0.1',
      adapters: [() => ({ notifier: teams.notifier })],
    });

    const slack = await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '' });
    const ready = await fetch(`${bot.url}/readyz`);
    await bot.close();
    await store.close();

    expect([slack.status, ready.status, bot.app]).toEqual([404, 200, undefined]);
  });

  it.each([
    [{}, {}, ['SLACK_BOT_TOKEN is not set', 'SLACK_SIGNING_SECRET is not set']],
    [{ SLACK_BOT_TOKEN: TOKEN }, { otherChat: true }, ['SLACK_SIGNING_SECRET is not set']],
    [{ SLACK_SIGNING_SECRET: SECRET }, { otherChat: true }, ['SLACK_BOT_TOKEN is not set']],
  ])(
    'refuses half a Slack configuration, or none without another chat: %j %j',
    (env, options, missing) => {
      const error = (() => {
        try {
          readBotEnv(env, options);
        } catch (e) {
          return (e as Error).message;
        }
        return 'started';
      })();

      expect(
        error
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(':')[0]),
      ).toEqual(missing);
    },
  );
});

describe('a bot that cannot start', () => {
  it.each([
    ['a second adapter for a chat', 'two adapters post to slack'],
    ['a port already taken', 'EADDRINUSE'],
  ])('fails on %s, naming it', async (which, message) => {
    const sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    const store = await fakeStore();
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as AddressInfo).port;
    const twice = which === 'a second adapter for a chat';
    const slackAgain: Notifier = { ...fakeTeamsNotifier().notifier, chat: 'slack' };

    const started = startBot({
      env: readBotEnv({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: sim.apiUrl,
        PORT: twice ? '0' : String(port),
      }),
      config: fakeConfig(),
      store,
      clock: fixedClock(NOW),
      scan: fakeScanner(store, {}).scan,
      log: createBotLogger({ level: 'silent' }),
      host: '127.0.0.1',
      adapters: twice ? [() => ({ notifier: slackAgain })] : [],
    });

    await expect(started).rejects.toThrow(message);
    await new Promise<void>((done) => taken.close(() => done()));
    await sim.close();
    await store.close();
  });
});
