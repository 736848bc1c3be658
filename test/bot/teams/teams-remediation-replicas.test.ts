import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { AdaptiveCard } from '../../../bot/teams/adaptive-card.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import type { DriftwatchConfig } from '../../../core/config/config-schema.js';
import type { ArmResource } from '../../../core/model/resource.js';
import { readAudit } from '../../../core/remediate/audit-log.js';
import type { Remediation } from '../../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import { openStore } from '../../../core/store/open-store.js';
import {
  fakeClock,
  NSG_ID,
  noScan,
  remediationEstate,
  STORAGE_ID,
  simRemediation,
} from '../../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../../sim/arm/start-arm-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import type { SimMember } from '../../sim/teams/sim-conversations.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { describeWithRedis, REDIS_URL } from '../../support/requirements.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';
import {
  cardIn,
  deliverTo,
  driftedRemediationConfig,
  executeButtons,
} from './teams-remediation-harness.js';

const ADA: SimMember = {
  id: '29:1ada',
  aadObjectId: '00000000-0000-4000-8000-00000000000a',
  name: 'Ada',
};
const BOB: SimMember = {
  id: '29:1bob',
  aadObjectId: '00000000-0000-4000-8000-00000000000b',
  name: 'Bob',
};
const CHANNEL = '19:prod-replicas@thread.tacv2';

describeWithRedis('Teams remediation on two bot replicas sharing one Redis store', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  const stores: DriftStore[] = [];
  const replicas: {
    bot: RunningBot;
    teams: MountedTeams;
    url: string;
    remediation: Remediation;
  }[] = [];
  const clock = fakeClock('2026-11-25T10:00:00Z');

  const namespace = `dwtest-teams-rm-${randomBytes(4).toString('hex')}`;
  let config: DriftwatchConfig;

  /** One more bot replica on its own connection to the shared store. */
  const startReplica = async () => {
    const store = await openStore({ redisUrl: REDIS_URL, namespace, clock });
    stores.push(store);
    const remediation = simRemediation(arm, store, config, clock);
    const started = await startTeamsBot(sim, {
      config,
      store,
      clock,
      scan: noScan,
      remediation,
      slackApiUrl: slack.apiUrl,
    });
    replicas.push({ ...started, url: started.messagesUrl, remediation });
    return { remediation };
  };

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ADA, BOB] });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    const setup = await openStore({ redisUrl: REDIS_URL, namespace, clock });
    config = await driftedRemediationConfig(arm, setup, [
      `teams:${ADA.aadObjectId}`,
      `teams:${BOB.aadObjectId}`,
    ]);
    await setup.close();
    for (let i = 0; i < 2; i += 1) await startReplica();
  });
  afterAll(async () => {
    for (const { bot } of replicas) await bot.close();
    for (const store of stores) await store.close();
    await arm?.close();
    await slack?.close();
    await sim?.close();
  });

  const deliver = (replica: number, activity: Parameters<TeamsSimulator['deliver']>[1]) =>
    deliverTo(sim, replicas[replica] as (typeof replicas)[number], activity);
  const cardOf = (activityId: string) => cardIn(sim, CHANNEL, activityId);
  const buttons = executeButtons;

  /**
   * Ada, through replica 0, asks for `status prod`, clicks the `nth` *Remediate…* of the summary
   * and *Request approval* on the preview; returns the approval card's activity id.
   */
  async function requestApproval(nth: number): Promise<string> {
    await deliver(0, sim.message(CHANNEL, ADA.aadObjectId, 'status prod'));
    const summaryId = sim.callsTo('sendToConversation').at(-1)?.activityId ?? '';
    const remediate = buttons(cardOf(summaryId).body).filter((b) => b.verb === 'remediate')[nth];
    const preview = await deliver(
      0,
      sim.invoke(CHANNEL, ADA.aadObjectId, {
        verb: 'remediate',
        data: remediate?.data ?? {},
        replyToId: summaryId,
      }),
    );
    const request = buttons((preview.body as { value: AdaptiveCard }).value.body)[0];
    await deliver(
      0,
      sim.invoke(CHANNEL, ADA.aadObjectId, {
        verb: 'request-approval',
        data: request?.data ?? {},
        replyToId: summaryId,
      }),
    );
    return sim.callsTo('sendToConversation').at(-1)?.activityId ?? '';
  }

  it('applies exactly once when the same approval reaches both replicas, twice each', async () => {
    // Ada asks through replica 0: status, Remediate…, Request approval.
    await deliver(0, sim.installationUpdate(CHANNEL, ADA.aadObjectId, 'add'));
    const approvalId = await requestApproval(0);
    const [plan] = await (replicas[0] as (typeof replicas)[number]).remediation.list();
    const card = String(cardOf(approvalId).refresh?.action.data.card);
    const approve = () =>
      sim.invoke(CHANNEL, BOB.aadObjectId, {
        verb: 'approve-plan',
        data: { id: plan?.id ?? '', card },
        replyToId: approvalId,
      });

    const statuses = await Promise.all([
      deliver(0, approve()),
      deliver(1, approve()),
      deliver(0, approve()),
      deliver(1, approve()),
    ]);
    await Promise.all(replicas.map((r) => r.teams.idle()));

    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    expect(writes.applies.map((a) => [a.method, a.path])).toEqual([['PUT', NSG_ID]]);
    const audit = await readAudit(stores[0] as DriftStore, { planId: plan?.id ?? '' });
    expect(audit.filter((e) => e.action === 'approve').map((e) => e.actor)).toEqual([
      `teams:${BOB.aadObjectId}`,
    ]);
    expect(audit.filter((e) => e.action === 'apply')).toHaveLength(1);
    expect(JSON.stringify(cardOf(approvalId))).toContain('APPLIED');
    expect(sim.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
  });

  it('shows on its approval card an apply a stopped replica left applying, finished by the next replica to start', async () => {
    const replica = replicas[0] as (typeof replicas)[number];
    // The NSG was remediated above; the storage account's finding is the other one.
    const approvalId = await requestApproval(1);
    const plan = (await replica.remediation.list()).find((p) => p.state === 'pending');
    const approved = await replica.remediation.approve({
      id: plan?.id ?? '',
      actor: { id: `teams:${BOB.aadObjectId}` },
    });
    // A replica "dies" after sending the write: the plan stays applying, its lease runs out.
    const { version: _v, writeId: _w, ...rest } = approved;
    await replica.remediation.repository.cas(approved, {
      ...rest,
      state: 'applying',
      lease: { owner: 'replica-x:4242:dead', until: '2026-11-25T10:00:01.000Z' },
      writes: [{ resourceId: STORAGE_ID, status: 'sending' }],
    });
    // The write it sent, landed: the test puts the reverted storage account back itself.
    arm.estate.put(remediationEstate()[0] as ArmResource);
    clock.tick(2_000);

    const { remediation } = await startReplica();

    expect((await remediation.show(plan?.id ?? '')).state).toBe('applied');
    // The ARM simulator never saw a write to the storage account: reconciling sent none.
    expect(writes.applies.filter((a) => a.path === STORAGE_ID)).toHaveLength(0);
    const final = JSON.stringify(cardOf(approvalId));
    expect(final).toContain('APPLIED');
    expect(final).toContain('re-read stweb; no drift remains on the planned paths');
    expect(sim.unexpected).toEqual([]);
  });
});
