import type { TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import { createGraphMembership } from '../../../core/identity/create-graph-membership.js';
import type { Remediation } from '../../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import { openStore } from '../../../core/store/open-store.js';
import {
  fakeClock,
  noScan,
  remediationEstate,
  simRemediation,
} from '../../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../../sim/arm/start-arm-simulator.js';
import { type GraphSimulator, startGraphSimulator } from '../../sim/graph/start-graph-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import type { SimMember } from '../../sim/teams/sim-conversations.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';
import {
  cardIn,
  clickIn,
  deliverTo,
  driftedRemediationConfig,
  executeButtons,
} from './teams-remediation-harness.js';

const member = (name: string, n: number): SimMember => ({
  id: `29:1${name.toLowerCase()}`,
  aadObjectId: `00000000-0000-4000-8000-00000000001${n}`,
  name,
});
/** Ada asks; Carol approves as a member of the Entra group; Eve is in no approver group. */
const ADA = member('Ada', 1);
const CAROL = member('Carol', 2);
const EVE = member('Eve', 3);
const LEADS = 'b8a3e1d2-4c5f-4a6b-8c9d-0e1f2a3b4c5d';

/** A credential handing out the token the Graph simulator accepts (or the one it refuses). */
const graphCredential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

/**
 * An `entra-group:` approver in Teams: the bot asks Microsoft Graph (the Graph simulator's
 * checkMemberGroups) whether the clicker is in the group, and only then may they decide.
 */
describe('Teams remediation approvers named by Entra group', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let graph: GraphSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let remediation: Remediation;
  let url: string;
  const clock = fakeClock('2026-11-25T10:00:00Z');
  /** A channel of its own per test on the file's one Teams simulator. */
  let CHANNEL = '';
  let run = 0;

  const setUp = async (graphToken: string) => {
    run += 1;
    CHANNEL = `19:prod-groups-${run}@thread.tacv2`;
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ADA, CAROL, EVE] });
    arm = await startArmSimulator({ resources: remediationEstate() });
    graph = await startGraphSimulator({
      memberships: { [CAROL.aadObjectId]: [LEADS], [EVE.aadObjectId]: [] },
      forbiddenToken: 'no-consent',
    });
    writes = simWrites(arm.estate);
    store = await openStore({ memory: true, clock });
    const config = await driftedRemediationConfig(arm, store, [
      `teams:${ADA.aadObjectId}`,
      `entra-group:${LEADS}`,
    ]);
    remediation = simRemediation(arm, store, config, clock);
    ({
      bot,
      teams,
      messagesUrl: url,
    } = await startTeamsBot(sim, {
      config,
      store,
      clock,
      scan: noScan,
      remediation,
      entraMembership: createGraphMembership({
        credential: graphCredential(graphToken),
        graphUrl: graph.url,
      }),
      slackApiUrl: slack.apiUrl,
    }));
    await deliver(sim.installationUpdate(CHANNEL, ADA.aadObjectId, 'add'));
    for (const who of [ADA, CAROL, EVE])
      await deliver(sim.message(CHANNEL, who.aadObjectId, 'help'));
  };
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
    await bot.close();
    await store.close();
    await arm.close();
    await graph.close();
  });
  // One Teams simulator for the file: the bot's connector keeps the token it was issued.
  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
  });
  afterAll(async () => {
    await slack.close();
    await sim.close();
  });

  const deliver = (activity: Parameters<TeamsSimulator['deliver']>[1]) =>
    deliverTo(sim, { url, teams }, activity);
  const cardOf = (activityId: string) => cardIn(sim, CHANNEL, activityId);
  const click = (user: SimMember, verb: string, data: Record<string, string>, replyToId: string) =>
    clickIn(sim, { url, teams }, CHANNEL, user, { verb, data, replyToId });
  const buttons = executeButtons;
  /** Ada: status, *Remediate…*, *Request approval*; the approval card and the plan id. */
  const requestApproval = async () => {
    await deliver(sim.message(CHANNEL, ADA.aadObjectId, 'status prod'));
    const summaryId = sim.callsTo('sendToConversation').at(-1)?.activityId ?? '';
    const remediate = buttons(cardOf(summaryId).body).find((b) => b.verb === 'remediate');
    const preview = await click(ADA, 'remediate', remediate?.data ?? {}, summaryId);
    await click(ADA, 'request-approval', buttons(preview.body)[0]?.data ?? {}, summaryId);
    const approvalId = sim.callsTo('sendToConversation').at(-1)?.activityId ?? '';
    const [plan] = await remediation.list();
    const card = String(cardOf(approvalId).refresh?.action.data.card);
    return { approvalId, data: { id: plan?.id ?? '', card } };
  };

  it('lets a member of the approver group approve, after asking Graph, and refuses someone outside it', async () => {
    await setUp('graph-token');
    const { approvalId, data } = await requestApproval();

    const eve = await click(EVE, 'approve-plan', data, approvalId);
    const carol = await click(CAROL, 'approve-plan', data, approvalId);

    expect(JSON.stringify(eve)).toContain(
      `teams:${EVE.aadObjectId} is not an approver for scope prod`,
    );
    expect(JSON.stringify(carol)).toContain('Approved by <at>Carol</at>');
    expect((await remediation.show(data.id)).state).toBe('applied');
    expect(writes.applies).toHaveLength(1);
    expect(
      graph.calls.filter((c) => c.path.endsWith('/checkMemberGroups')).map((c) => c.path),
    ).toEqual(
      expect.arrayContaining([
        `/v1.0/users/${EVE.aadObjectId}/checkMemberGroups`,
        `/v1.0/users/${CAROL.aadObjectId}/checkMemberGroups`,
      ]),
    );
  });

  it('takes nobody for an approver through a group whose membership Graph will not tell', async () => {
    await setUp('no-consent');
    const { approvalId, data } = await requestApproval();

    const carol = await click(CAROL, 'approve-plan', data, approvalId);

    expect(JSON.stringify(carol)).toContain(
      `teams:${CAROL.aadObjectId} is not an approver for scope prod`,
    );
    expect((await remediation.show(data.id)).state).toBe('pending');
    expect(writes.applies).toEqual([]);
  });
});
