import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanPort } from '../../bot/create-ports.js';
import type { RunningBot } from '../../bot/start-bot.js';
import type { MountedTeams } from '../../bot/teams/mount-teams.js';
import { systemClock } from '../../core/clock.js';
import { parseConfig } from '../../core/config/load-config.js';
import { runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../sim/arm/sim-authority.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { ALICE } from '../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../sim/teams/start-teams-simulator.js';
import { SUB } from '../task/task-agent-env.js';
import { taskEstate } from '../task/task-estate.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams/teams-bot-harness.js';

const CHANNEL = '19:progress@thread.tacv2';
const SECRET = 'sim-signing-secret-teams-0123456';
const RESOURCES = taskEstate().length;
const PROGRESS = /^Scanning prod · collected \d+( \/ \d+)?$/;
const FINISHED = new RegExp(`^Scanned prod: ${RESOURCES} resources in \\d+ s\\.$`);

/**
 * `/drift scan` in Slack and `@driftwatch scan` in Teams, read from the ARM simulator: the chat
 * sees one progress message, replaced in place as the collector counts, ending with how the scan
 * ended; the summary follows as its own message.
 */
describe('scan progress in chat', () => {
  let arm: ArmSimulator;
  let slack: SlackSimulator;
  let sim: TeamsSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let url: string;

  beforeAll(async () => {
    arm = await startArmSimulator({ resources: taskEstate() });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ALICE] });
    store = await openStore({ memory: true });
    const config = parseConfig(
      {
        scopes: { prod: { subscriptions: [SUB] } },
        azure: {
          credential: { kind: 'client-secret', tenantId: arm.tenantId, clientId: SIM_CLIENT_ID },
        },
        chat: { access: { admins: ['UADMIN1'], teams: { admins: [ALICE.aadObjectId] } } },
      },
      'test config',
    );
    const env = {
      AZURE_CLIENT_SECRET: SIM_CLIENT_SECRET,
      AZURE_AUTHORITY_HOST: arm.url,
      DRIFTWATCH_ARM_ENDPOINT: arm.url,
      DRIFTWATCH_RESOURCE_GRAPH_ENDPOINT: arm.url,
    };
    const ports = { config, env, cwd: '/nonexistent', store, clock: systemClock };
    await runScan({ scope: 'prod', ...ports, caPem: arm.caPem, saveBaseline: true });
    ({
      bot,
      teams,
      messagesUrl: url,
    } = await startTeamsBot(sim, {
      config,
      store,
      clock: systemClock,
      scan: createScanPort({ ...ports, scanOptions: { caPem: arm.caPem } }),
      slackApiUrl: slack.apiUrl,
      processBeforeResponse: true,
      poster: { minIntervalMs: 0 },
      // Every count shown at once, so the test sees each step the chat would.
      scanProgress: { afterMs: 0, everyMs: 0 },
    }));
    await sim.deliver(url, sim.installationUpdate(CHANNEL, ALICE.aadObjectId, 'add'));
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await sim?.close();
    await slack?.close();
    await arm?.close();
  });

  it('Slack: one channel message counts up in place, ends "Scanned prod", then the summary', async () => {
    await sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      form: {
        command: '/drift',
        text: 'scan prod',
        team_id: 'T0SIM',
        channel_id: 'C0PROD',
        user_id: 'UADMIN1',
        user_name: 'ada',
        response_url: slack.responseUrl('scan'),
        trigger_id: '1',
        api_app_id: 'A0SIM',
      },
    });

    const posts = slack.callsTo('chat.postMessage');
    const updates = slack.callsTo('chat.update');
    const [progress, summary] = posts;
    expect(posts).toHaveLength(2);
    expect(String(progress?.args.text)).toMatch(PROGRESS);
    expect(String(summary?.args.text)).toBe('No drift in prod');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const update of updates) expect(update.args.ts).toBe(progress?.response.ts);
    for (const update of updates.slice(0, -1)) expect(String(update.args.text)).toMatch(PROGRESS);
    expect(String(updates.at(-1)?.args.text)).toMatch(FINISHED);
  });

  it('Teams: one card in the thread counts up in place, ends "Scanned prod", then the summary', async () => {
    const before = sim.callsTo('sendToConversation').length;
    await sim.deliver(url, sim.message(CHANNEL, ALICE.aadObjectId, 'scan prod'));
    await teams.idle();

    const sent = sim.callsTo('sendToConversation').slice(before);
    const updates = sim.callsTo('updateActivity');
    const summaryOf = (c: { body: unknown }) => String((c.body as { summary?: string }).summary);
    expect(sent).toHaveLength(2);
    expect(summaryOf(sent[0] as { body: unknown })).toMatch(PROGRESS);
    expect(summaryOf(sent[1] as { body: unknown })).toBe('No drift in prod');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const update of updates.slice(0, -1)) expect(summaryOf(update)).toMatch(PROGRESS);
    expect(summaryOf(updates.at(-1) as { body: unknown })).toMatch(FINISHED);
  });
});
