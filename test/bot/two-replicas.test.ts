import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import { fixedClock } from '../../core/clock.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeConfig, fakeFinding, fakeReport, fakeScanner, NOW } from '../commands/fake-drift.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { removeSummaryQueue, summaryTickOf, waitFor } from '../support/replica-helpers.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const TOKEN = 'xoxb-sim-0000000000002';
const SECRET = 'sim-signing-secret-replicas-0123456789';
const TICK_MS = 300;

describeWithRedis('two bot replicas sharing Redis', () => {
  const run = randomBytes(4).toString('hex');
  const prefix = `dwtest-${run}`;
  let sim: SlackSimulator;
  const stores: DriftStore[] = [];
  const bots: RunningBot[] = [];
  const ticks: Array<{ bot: string; tickId: string; outcome: string }> = [];

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    for (const name of ['a', 'b']) {
      const store = await openStore({
        redisUrl: REDIS_URL,
        namespace: `${prefix}-store`,
        clock: fixedClock(NOW),
      });
      stores.push(store);
      const { scan } = fakeScanner(store, {
        prod: [
          fakeReport('prod', [
            fakeFinding('nsg-web-prod', 'critical'),
            fakeFinding('st-b', 'high'),
          ]),
        ],
      });
      const log = createBotLogger({
        level: 'info',
        destination: {
          write(line: string) {
            const tick = summaryTickOf(line);
            if (tick) ticks.push({ bot: name, tickId: tick.tickId, outcome: tick.outcome });
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
          processBeforeResponse: true,
          poster: { minIntervalMs: 0 },
          // Every 300 ms instead of the subscription's cron, so the test sees several ticks quickly.
          scheduler: { prefix, repeatFor: () => ({ every: TICK_MS }) },
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

  it('posts each scheduled summary exactly once, and only when something changed', async () => {
    const subscribed = await sendSignedRequest({
      url: `${bots[1]?.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      form: {
        command: '/drift',
        text: 'subscribe prod every 3h',
        team_id: 'T0SIM',
        channel_id: 'C0PROD',
        user_id: 'UADMIN1',
        user_name: 'ada',
        response_url: sim.responseUrl('subscribe'),
        trigger_id: '1',
        api_app_id: 'A0SIM',
      },
    });
    expect(subscribed.status).toBe(200);

    await waitFor(() => ticks.length >= 3);
    // Replica a goes away: b carries on from the shared store, without re-announcing old drift.
    await bots.shift()?.close();
    const before = ticks.length;
    await waitFor(
      () => ticks.filter((t) => t.bot === 'b').length >= 3 && ticks.length >= before + 3,
    );

    const summaries = sim
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          c.status === 200 && String(c.args.text).startsWith('Drift in prod') && !c.args.thread_ts,
      );
    expect(new Set(ticks.map((t) => t.tickId)).size).toBe(ticks.length);
    expect(ticks.filter((t) => t.outcome === 'changed')).toHaveLength(1);
    expect(summaries).toHaveLength(1);
    expect(sim.unexpected).toEqual([]);
  });
});
