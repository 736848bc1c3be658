import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import { jsonBytes, TEAMS_LIMITS } from '../../../bot/teams/teams-limits.js';
import { fixedClock } from '../../../core/clock.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import {
  fakeConfig,
  fakeFinding,
  fakeReport,
  fakeScanner,
  fakeStore,
  NOW,
} from '../../commands/fake-drift.js';
import { sendSignedRequest } from '../../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import type { SimMember } from '../../sim/teams/sim-conversations.js';
import { ALICE, BOB } from '../../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';

const CHANNEL = '19:verbs@thread.tacv2';
const SLACK_CHANNEL = 'C0PROD';
const SECRET = 'sim-signing-secret-teams-0123456';

/**
 * The same commands typed in Slack (`/drift …` by a Slack admin) and in Teams (`@driftwatch …` by
 * a Teams admin) get the same answer from the one command layer, each in its chat's words.
 */
describe('every verb answers in Teams as in Slack', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let url: string;

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ALICE, BOB] });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const big = Array.from({ length: 1000 }, (_, i) =>
      fakeFinding(
        `resource-with-a-long-name-${String(i).padStart(4, '0')}`,
        i % 7 ? 'medium' : 'high',
        {
          attribution: { kind: 'actor', summary: `someone-${i}@contoso.com via Azure Portal` },
        },
      ),
    );
    const { scan } = fakeScanner(store, {
      prod: [
        fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical'), fakeFinding('st01', 'low')]),
      ],
      dev: [fakeReport('dev', big)],
    });
    ({
      bot,
      teams,
      messagesUrl: url,
    } = await startTeamsBot(sim, {
      config: fakeConfig({
        access: {
          slack: { admins: ['UADMIN1'] },
          teams: { admins: [ALICE.aadObjectId] },
        },
        reportUrl: 'https://driftwatch.example/reports',
      }),
      store,
      clock: fixedClock(NOW),
      scan,
      slackApiUrl: slack.apiUrl,
      processBeforeResponse: true,
    }));
    await sim.deliver(url, sim.installationUpdate(CHANNEL, ALICE.aadObjectId, 'add'));
    await slashSlack('scan prod', 'UADMIN1');
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await slack?.close();
    await sim?.close();
  });

  let responses = 0;
  /** `/drift <text>` in Slack; every answer's text (response_url and channel posts). */
  async function slashSlack(text: string, user: string): Promise<string[]> {
    const id = `r${++responses}`;
    const posts = slack.callsTo('chat.postMessage').length;
    await sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      form: {
        command: '/drift',
        text,
        team_id: 'T0SIM',
        channel_id: SLACK_CHANNEL,
        user_id: user,
        user_name: user.toLowerCase(),
        response_url: slack.responseUrl(id),
        trigger_id: '1.2.3',
        api_app_id: 'A0SIM',
      },
    });
    const replies = [
      ...slack.callsTo(`response_url:${id}`),
      ...slack.callsTo('chat.postMessage').slice(posts),
    ].map((c) => String((c.args as { text?: string }).text ?? ''));
    return replies.map((t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  /** `@driftwatch <text>` in Teams; every answer's notification text. */
  async function sayTeams(text: string, user: SimMember): Promise<string[]> {
    const before = sim.callsTo('sendToConversation').length;
    await sim.deliver(url, sim.message(CHANNEL, user.aadObjectId, text));
    await teams.idle();
    return sim
      .callsTo('sendToConversation')
      .slice(before)
      .map((c) => String((c.body as { summary?: string }).summary ?? ''));
  }

  it.each([
    ['help', 'help'],
    ['status', 'status prod'],
    ['show', 'show nsg-web-prod'],
    ['history', 'history prod'],
    ['subscriptions', 'subscriptions'],
    ['devops (not configured)', 'devops'],
    ['an unknown verb', 'frobnicate'],
    ['a usage error', 'ignore'],
    ['audit', 'audit prod'],
    ['remediate (not set up)', 'remediate list'],
    ['a remediate usage error', 'remediate approve 7f3a'],
  ])('%s', async (_name, text) => {
    const fromSlack = await slashSlack(text, 'UADMIN1');
    const fromTeams = await sayTeams(text, ALICE);

    const expected = fromSlack.map((t) => t.replaceAll('/drift', '@driftwatch').slice(0, 200));
    expect(fromTeams.length).toBeGreaterThan(0);
    expect(fromTeams[0]).toBe(expected[0]);
    expect(sim.unexpected).toEqual([]);
  });

  it('help lists remediate and audit with the other verbs, in Teams words', async () => {
    const before = sim.callsTo('sendToConversation').length;

    await sayTeams('help', ALICE);

    const sent = sim.callsTo('sendToConversation').slice(before)[0]?.body as {
      attachments: { content: { body: { text: string }[] } }[];
    };
    const lines = sent.attachments[0]?.content.body.map((b) => b.text) ?? [];
    // Card Markdown escapes brackets (\[scope\]).
    expect(lines.slice(-2)).toEqual([
      '@driftwatch remediate list \\[scope\\] \\| show \\<plan id\\> — remediation plans, newest first, or one as its approval shows it',
      '@driftwatch audit \\[scope\\] — the latest remediation audit entries',
    ]);
    expect(lines).toHaveLength(14);
  });

  it.each([
    ['accept', 'accept st01', 'Accepted'],
    ['ignore', 'ignore st01 7d', 'Ignoring'],
    ['subscribe', 'subscribe prod daily 09:00', 'Subscribed'],
    ['unsubscribe', 'unsubscribe prod', 'Unsubscribed'],
  ])('%s needs an admin in both chats, and works for one', async (_name, text, done) => {
    const slackRefusal = await slashSlack(text, 'UNOBODY');
    const teamsRefusal = await sayTeams(text, BOB);
    const teamsDone = await sayTeams(text, ALICE);

    expect(slackRefusal[0]).toContain('You are not a driftwatch admin');
    expect(teamsRefusal[0]).toContain('You are not a driftwatch admin');
    expect(teamsDone[0]).toContain(done);
  });

  it('scans a 1,000-finding drift into cards Teams accepts (each under the 28 KB limit)', async () => {
    const before = sim.calls.length;

    await sayTeams('scan dev', ALICE);

    const sends = sim.calls.slice(before).filter((c) => c.operation === 'sendToConversation');
    expect(sends.map((c) => c.status)).toEqual([201, 201, 201, 201]);
    for (const send of sends) expect(send.bytes).toBeLessThanOrEqual(TEAMS_LIMITS.messageBytes);
    const first = sends[0]?.body as { attachments: { content: unknown }[] } | undefined;
    const main = first?.attachments[0]?.content;
    expect(jsonBytes(main)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(JSON.stringify(sends.at(-1)?.body)).toContain('the full report has them all');
    expect(sim.unexpected).toEqual([]);
  });
});
