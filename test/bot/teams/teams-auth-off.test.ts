import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import { fixedClock } from '../../../core/clock.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import { fakeConfig, fakeReport, fakeScanner, fakeStore, NOW } from '../../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import { ALICE } from '../../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';

const CHAT = 'a:1alice-personal';

describe('Teams bot without an app id (local development)', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let url: string;
  const logs: string[] = [];

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false, allowAnonymous: true });
    sim.addConversation({ id: CHAT, conversationType: 'personal', members: [ALICE] });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const { scan } = fakeScanner(store, { prod: [fakeReport('prod', [])] });
    ({
      bot,
      teams,
      messagesUrl: url,
    } = await startTeamsBot(sim, {
      anonymous: true,
      config: fakeConfig(),
      store,
      clock: fixedClock(NOW),
      scan,
      slackApiUrl: slack.apiUrl,
      onLog: (line) => {
        logs.push(line);
      },
    }));
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await slack?.close();
    await sim?.close();
  });

  it('starts, says loudly that authentication is off, and /readyz says so too', async () => {
    const ready = await fetch(`${bot.url}/readyz`);

    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.teams).toBe(
      'authentication is off (no MicrosoftAppId): local development only',
    );
    const warning = logs
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.msg.startsWith('TEAMS AUTHENTICATION IS OFF'));
    expect(warning?.level).toBe(40);
  });

  it('answers an unauthenticated request', async () => {
    const res = await sim.deliver(url, sim.message(CHAT, ALICE.aadObjectId, 'status prod'), {
      token: null,
    });
    await teams.idle();

    expect(res.status).toBe(200);
    expect(JSON.stringify(sim.posted(CHAT))).toContain(
      'No scan of prod yet. Run @driftwatch scan prod.',
    );
    expect(sim.unexpected).toEqual([]);
  });
});
