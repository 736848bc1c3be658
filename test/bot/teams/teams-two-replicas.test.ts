import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import { fixedClock } from '../../../core/clock.js';
import { saveSubscription, subscriptionId } from '../../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../../core/schedule/parse-schedule.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import { openStore } from '../../../core/store/open-store.js';
import {
  fakeConfig,
  fakeFinding,
  fakeReport,
  fakeScanner,
  NOW,
} from '../../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import { ALICE } from '../../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { removeSummaryQueue, summaryTickOf, waitFor } from '../../support/replica-helpers.js';
import { describeWithRedis, REDIS_URL } from '../../support/requirements.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';

const TICK_MS = 300;
const CHANNEL = '19:replicas@thread.tacv2';

describeWithRedis('two Teams replicas on one Redis', () => {
  const prefix = `dwteams-${randomBytes(4).toString('hex')}`;
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  const stores: DriftStore[] = [];
  const bots: { bot: RunningBot; teams: MountedTeams; url: string }[] = [];
  const ticks: { replica: string; tickId: string; outcome: string }[] = [];

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ALICE] });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    for (const replica of ['a', 'b']) {
      const store = await openStore({
        redisUrl: REDIS_URL,
        namespace: `${prefix}-store`,
        clock: fixedClock(NOW),
      });
      stores.push(store);
      const { scan } = fakeScanner(store, {
        prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
      });
      const started = await startTeamsBot(sim, {
        config: fakeConfig(),
        store,
        clock: fixedClock(NOW),
        scan,
        redisUrl: REDIS_URL,
        slackApiUrl: slack.apiUrl,
        scheduler: { prefix, repeatFor: () => ({ every: TICK_MS }) },
        onLog: (line) => {
          const tick = summaryTickOf(line);
          if (tick) ticks.push({ replica, tickId: tick.tickId, outcome: tick.outcome });
        },
      });
      bots.push({ ...started, url: started.messagesUrl });
    }
  });

  afterAll(async () => {
    for (const { bot } of bots) await bot.close();
    for (const store of stores) await store.close();
    await removeSummaryQueue(REDIS_URL, prefix);
    await slack?.close();
    await sim?.close();
  });

  it('posts a subscription’s summary to Teams exactly once across the replicas', async () => {
    // Installed through replica a; the reference is in the shared store, so b can post too.
    await sim.deliver(
      bots[0]?.url ?? '',
      sim.installationUpdate(CHANNEL, ALICE.aadObjectId, 'add'),
    );
    const store = stores[0] as DriftStore;
    const subscription = {
      id: subscriptionId('teams', CHANNEL, 'prod'),
      chat: 'teams' as const,
      conversation: CHANNEL,
      scope: 'prod',
      schedule: parseSchedule('every 3h', 'UTC'),
      minSeverity: 'low' as const,
      // Every tick posts (an all-clear digest when nothing changed): one post per tick proves it.
      allClear: true,
      createdBy: ALICE.aadObjectId,
      createdAt: NOW,
    };
    await saveSubscription(store, subscription);
    await bots[0]?.bot.scheduler.upsert(subscription);

    await waitFor(() => ticks.length >= 4);
    await bots[0]?.bot.scheduler.remove(subscription.id);
    await new Promise((r) => setTimeout(r, 3 * TICK_MS));
    await Promise.all(bots.map(({ teams }) => teams.idle()));

    const posts = sim.callsTo('sendToConversation').filter((c) => c.conversationId === CHANNEL);
    expect(new Set(ticks.map((t) => t.tickId)).size).toBe(ticks.length);
    expect(posts).toHaveLength(ticks.length);
    expect(posts.every((p) => p.status === 201)).toBe(true);
    expect(JSON.stringify(posts[0]?.body)).toContain('Drift in prod · 1 critical');
    expect(sim.unexpected).toEqual([]);
  });
});
