import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
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
  aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  name,
});
/** Ada asks, Bob approves, Eve is not an approver. */
const ADA = member('Ada', 1);
const BOB = member('Bob', 2);
const EVE = member('Eve', 3);
const CHANNEL = '19:prod-alerts@thread.tacv2';

describe('Teams remediation approvals (real botbuilder, Teams and ARM simulators)', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let remediation: Remediation;
  let url: string;
  const clock = fakeClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({
      id: CHANNEL,
      conversationType: 'channel',
      name: 'prod-alerts',
      members: [ADA, BOB, EVE],
    });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    store = await openStore({ memory: true, clock });
    const config = await driftedRemediationConfig(arm, store, [
      `teams:${ADA.aadObjectId}`,
      `teams:${BOB.aadObjectId}`,
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
      slackApiUrl: slack.apiUrl,
    }));
    await deliver(sim.installationUpdate(CHANNEL, ADA.aadObjectId, 'add'));
    // The bot learns people's Teams ids from what they send.
    for (const who of [ADA, BOB, EVE]) await say('help', who);
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await arm?.close();
    await slack?.close();
    await sim?.close();
  });
  beforeEach(() => {
    sim.calls.length = 0;
  });

  const deliver = (activity: Parameters<TeamsSimulator['deliver']>[1]) =>
    deliverTo(sim, { url, teams }, activity);
  const say = (text: string, user: SimMember) =>
    deliver(sim.message(CHANNEL, user.aadObjectId, text));
  const cardOf = (activityId: string) => cardIn(sim, CHANNEL, activityId);
  const click = (user: SimMember, verb: string, data: Record<string, string>, replyToId: string) =>
    clickIn(sim, { url, teams }, CHANNEL, user, { verb, data, replyToId });
  const buttons = executeButtons;

  let approvalId = '';
  let approvalCard = '';

  it('previews to the requester alone and posts the approval card, whose buttons only approvers get', async () => {
    await say('status prod', ADA);
    const summaryId = sim.callsTo('sendToConversation')[0]?.activityId ?? '';
    const summary = cardOf(summaryId);
    const remediate = buttons(summary.body).find((b) => b.verb === 'remediate');
    expect(remediate).toBeDefined();

    const preview = await click(ADA, 'remediate', remediate?.data ?? {}, summaryId);

    expect(JSON.stringify(preview)).toContain('Remediation preview · revert · prod');
    expect(JSON.stringify(preview)).toContain('If-Match: W/');
    expect(buttons(preview.body).map((b) => b.verb)).toEqual([
      'request-approval',
      'remediate-strategy',
    ]);
    expect(sim.callsTo('updateActivity')).toEqual([]);

    const request = buttons(preview.body)[0]?.data ?? {};
    const done = await click(ADA, 'request-approval', request, summaryId);

    expect(JSON.stringify(done)).toContain('the approval card is in the channel');
    const post = sim.callsTo('sendToConversation').at(-1);
    expect(post?.conversationId).toBe(CHANNEL);
    approvalId = post?.activityId ?? '';
    const card = cardOf(approvalId);
    expect(buttons(card.body)).toEqual([]);
    expect(card.refresh?.userIds).toEqual([ADA.id, BOB.id]);
    approvalCard = String(card.refresh?.action.data.card);
    expect(JSON.stringify(card)).toContain('<at>Ada</at> asks to revert 1 finding on prod');
  });

  it('refreshes to Approve and Reject for an approver and to no buttons for anyone else', async () => {
    const bob = await click(BOB, 'refresh', { card: approvalCard }, approvalId);
    const eve = await click(EVE, 'refresh', { card: approvalCard }, approvalId);

    expect(buttons(bob.body).map((b) => b.verb)).toEqual(['approve-plan', 'reject-plan']);
    expect(JSON.stringify(bob.body)).toContain('"type":"Action.ShowCard","title":"Approve"');
    expect(buttons(eve.body)).toEqual([]);
  });

  it('refuses a non-approver to them alone and leaves the card as it was', async () => {
    const [plan] = await remediation.list();

    const eve = await click(
      EVE,
      'approve-plan',
      { id: plan?.id ?? '', card: approvalCard },
      approvalId,
    );

    expect(JSON.stringify(eve)).toContain(
      `teams:${EVE.aadObjectId} is not an approver for scope prod`,
    );
    expect(sim.callsTo('updateActivity')).toEqual([]);
    expect(writes.applies).toEqual([]);
  });

  it('approves, applies once, and updates the card in place with who, when, the result and the verification', async () => {
    const [plan] = await remediation.list();
    const approve = { id: plan?.id ?? '', card: approvalCard };

    const bob = await click(BOB, 'approve-plan', approve, approvalId);
    await click(BOB, 'approve-plan', approve, approvalId);

    expect(JSON.stringify(bob)).toContain('Approved by <at>Bob</at>');
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]?.method).toBe('PUT');
    const final = JSON.stringify(cardOf(approvalId));
    expect(final).toContain('APPLIED');
    expect(final).toContain('Approved by <at>Bob</at> · 10:00 UTC');
    expect(final).toContain('no drift remains on the planned paths');
    expect(buttons(cardOf(approvalId).body)).toEqual([]);
    expect(sim.callsTo('updateActivity').every((c) => c.activityId === approvalId)).toBe(true);
    expect((await remediation.show(plan?.id ?? '')).state).toBe('applied');
    expect(sim.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
  });

  it('rejects: the card says who rejected and when, and nothing is written', async () => {
    await say('status prod', ADA);
    const summaryId = sim.callsTo('sendToConversation')[0]?.activityId ?? '';
    // The NSG was remediated above; the storage account's finding is the other one.
    const remediate = buttons(cardOf(summaryId).body).filter((b) => b.verb === 'remediate')[1];
    const preview = await click(ADA, 'remediate', remediate?.data ?? {}, summaryId);
    await click(ADA, 'request-approval', buttons(preview.body)[0]?.data ?? {}, summaryId);
    const approvalId = sim.callsTo('sendToConversation').at(-1)?.activityId ?? '';
    const plan = (await remediation.list()).find((p) => p.state === 'pending');
    const card = String(cardOf(approvalId).refresh?.action.data.card);

    const bob = await click(BOB, 'reject-plan', { id: plan?.id ?? '', card }, approvalId);

    expect(JSON.stringify(bob)).toContain('Rejected by <at>Bob</at>');
    const final = JSON.stringify(cardOf(approvalId));
    expect(final).toContain('REJECTED');
    expect(final).toContain('Rejected by <at>Bob</at> · 10:00 UTC');
    expect(buttons(cardOf(approvalId).body)).toEqual([]);
    expect(writes.applies).toHaveLength(1);
    expect((await remediation.show(plan?.id ?? '')).state).toBe('rejected');
    expect(sim.unexpected).toEqual([]);
  });
});
