import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import { fixedClock } from '../../core/clock.js';
import type { Notifier } from '../../core/notify/notifier.js';
import { saveSubscription, subscriptionId } from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeConfig, fakeFinding, fakeReport, fakeScanner, NOW } from '../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { removeSummaryQueue, summaryTickOf, waitFor } from '../support/replica-helpers.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const TOKEN = 'xoxb-sim-0000000000023';
const SECRET = 'sim-signing-secret-two-chats-0123456';
const TICK_MS = 300;
const TEAMS_CHANNEL = '19:b2d5e0c8a1f94c3e@thread.tacv2';

describeWithRedis('two replicas, a Slack and a Teams subscription', () => {
  const prefix = `dwtest-${randomBytes(4).toString('hex')}`;
  let sim: SlackSimulator;
  const stores: DriftStore[] = [];
  const bots: RunningBot[] = [];
  const ticks: { subscriptionId: string; tickId: string }[] = [];
  const teamsPosts: { replica: string; conversation: string; text: string }[] = [];

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    for (const replica of ['a', 'b']) {
      const store = await openStore({
        redisUrl: REDIS_URL,
        namespace: `${prefix}-store`,
        clock: fixedClock(NOW),
      });
      stores.push(store);
      if (replica === 'a') {
        for (const [chat, conversation] of [
          ['slack', 'C0PROD'],
          ['teams', TEAMS_CHANNEL],
        ] as const) {
          await saveSubscription(store, {
            id: subscriptionId(chat, conversation, 'prod'),
            chat,
            conversation,
            scope: 'prod',
            schedule: parseSchedule('every 3h', 'UTC'),
            minSeverity: 'low',
            allClear: false,
            createdBy: 'UADMIN1',
            createdAt: NOW,
          });
        }
      }
      const { scan } = fakeScanner(store, {
        prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
      });
      const teams: Notifier = {
        chat: 'teams',
        invocation: '@driftwatch',
        async post(conversation, message) {
          teamsPosts.push({ replica, conversation, text: message.text });
          return { conversation, id: `${replica}-${teamsPosts.length}` };
        },
        update: async () => undefined,
        reply: async (posted) => posted,
      };
      const log = createBotLogger({
        level: 'info',
        destination: {
          write(line: string) {
            const tick = summaryTickOf(line);
            if (tick) ticks.push({ subscriptionId: tick.subscriptionId, tickId: tick.tickId });
          },
        },
      });
      bots.push(
        await startBot({
          env: readBotEnv({
            SLACK_BOT_TOKEN: TOKEN,
            SLACK_SIGNING_SECRET: SECRET,
            SLACK_API_URL: sim.apiUrl,
            PORT: '0',
            REDIS_URL,
          }),
          config: fakeConfig(),
          store,
          clock: fixedClock(NOW),
          scan,
          log,
          host: '127.0.0.1',
          poster: { minIntervalMs: 0 },
          scheduler: { prefix, repeatFor: () => ({ every: TICK_MS }) },
          adapters: [() => ({ notifier: teams })],
        }),
      );
    }
  });

  afterAll(async () => {
    for (const bot of bots) await bot.close();
    for (const store of stores) await store.close();
    await removeSummaryQueue(REDIS_URL, prefix);
    await sim.close();
  });

  it('posts each chat its summary exactly once across the replicas', async () => {
    const ticksOf = (chat: string) => ticks.filter((t) => t.subscriptionId.startsWith(`${chat}:`));

    await waitFor(() => ticksOf('slack').length >= 3 && ticksOf('teams').length >= 3);

    const slackSummaries = sim
      .callsTo('chat.postMessage')
      .filter((c) => c.status === 200 && !c.args.thread_ts)
      .map((c) => [c.args.channel, c.args.text]);
    expect(new Set(ticks.map((t) => t.tickId)).size).toBe(ticks.length);
    expect(slackSummaries).toEqual([['C0PROD', 'Drift in prod · 1 critical']]);
    expect(teamsPosts.map((p) => [p.conversation, p.text])).toEqual([
      [TEAMS_CHANNEL, 'Drift in prod · 1 critical'],
    ]);
    expect(sim.unexpected).toEqual([]);
  });
});
