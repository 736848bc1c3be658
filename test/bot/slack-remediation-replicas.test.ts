import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import type { ArmResource } from '../../core/model/resource.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import {
  driftEstate,
  fakeClock,
  remediationEstate,
  STORAGE_ID,
  scanScope,
} from '../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import {
  APPROVER_GROUP,
  BOB,
  bobApproves,
  CAROL,
  CHANNEL,
  remediationBotConfig,
  requestStorageApproval,
  startRemediationBot,
  TOKEN,
  textOf,
} from './remediation-bot-harness.js';

describeWithRedis('Slack remediation on two bot replicas sharing one Redis store', () => {
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  let config: DriftwatchConfig;
  const stores: DriftStore[] = [];
  const bots: RunningBot[] = [];
  const workflows: Remediation[] = [];
  const clock = fakeClock('2026-11-25T10:00:00Z');

  const startReplica = async () => {
    const store = await openStore({ redisUrl: REDIS_URL, namespace, clock });
    stores.push(store);
    const { bot, remediation } = await startRemediationBot({ slack, arm, store, config, clock });
    bots.push(bot);
    workflows.push(remediation);
    return bot;
  };
  let namespace: string;

  beforeEach(async () => {
    namespace = `dwtest-slack-rm-${randomBytes(4).toString('hex')}`;
    slack = await startSlackSimulator({
      token: TOKEN,
      channelIntervalMs: 0,
      usergroups: { [APPROVER_GROUP]: [CAROL] },
    });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    config = remediationBotConfig(arm);
    const setup = await openStore({ redisUrl: REDIS_URL, namespace, clock });
    await scanScope(arm, setup, config, true);
    driftEstate(arm);
    await scanScope(arm, setup, config);
    await setup.close();
  });
  afterEach(async () => {
    expect(slack.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
    for (const bot of bots.splice(0)) await bot.close();
    for (const store of stores.splice(0)) await store.close();
    workflows.length = 0;
    await arm.close();
    await slack.close();
  });

  /** Ada asks, through replica `bot`, for the storage account to be reverted. */
  const requestApproval = async (bot: RunningBot) => {
    const { ts } = await requestStorageApproval(bot, slack, 'prod');
    const message = slack.message(CHANNEL, ts) as { text: string; blocks: unknown[] };
    const [plan] = await (workflows[0] as Remediation).list();
    return { ts, message, planId: plan?.id ?? '' };
  };

  it('applies exactly once when the same approval reaches both replicas, twice each, including a Slack retry', async () => {
    const [a, b] = [await startReplica(), await startReplica()];
    const { ts, message, planId } = await requestApproval(a);
    const deliver = (bot: RunningBot, responseId: string, retryNum?: number) =>
      bobApproves(bot, slack, { ts, message }, responseId, retryNum);

    const statuses = await Promise.all([
      deliver(a, 'a-click'),
      deliver(b, 'b-click'),
      deliver(a, 'a-double-click'),
      deliver(b, 'b-retry', 1),
    ]);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({ method: 'PATCH' });
    const audit = await readAudit(stores[0] as DriftStore, { planId });
    expect(audit.filter((e) => e.action === 'approve').map((e) => e.actor)).toEqual([
      `slack:${BOB}`,
    ]);
    expect(audit.filter((e) => e.action === 'apply')).toHaveLength(1);
    // All four deliveries reached the workflow: the three repeats were refused there, and audited.
    expect(audit.filter((e) => e.action === 'refuse').map((e) => e.actor)).toEqual([
      `slack:${BOB}`,
      `slack:${BOB}`,
      `slack:${BOB}`,
    ]);
    const final = textOf((slack.message(CHANNEL, ts) as { blocks: unknown[] }).blocks);
    expect(final).toContain('*State:* APPLIED');
    expect(final).toContain(
      'Verified · 10:00 UTC: re-read stweb; no drift remains on the planned paths.',
    );
    // The repeats were answered by silence: nobody was told "already approved".
    const told = ['a-click', 'b-click', 'a-double-click', 'b-retry'].flatMap((id) =>
      slack.callsTo(`response_url:${id}`),
    );
    expect(told).toEqual([]);
  });

  it('finishes, at the next replica start, an apply a stopped replica left applying, without writing again', async () => {
    const a = await startReplica();
    const { ts, planId } = await requestApproval(a);
    const workflow = workflows[0] as Remediation;
    const approved = await workflow.approve({ id: planId, actor: { id: `slack:${BOB}` } });
    // Replica a "dies" after sending the write: the plan stays applying, its lease runs out.
    const { version: _v, writeId: _w, ...rest } = approved;
    await workflow.repository.cas(approved, {
      ...rest,
      state: 'applying',
      lease: { owner: 'replica-a:4242:dead', until: '2026-11-25T10:00:01.000Z' },
      writes: [{ resourceId: STORAGE_ID, status: 'sending' }],
    });
    arm.estate.put(remediationEstate()[0] as ArmResource);
    clock.tick(2_000);

    await startReplica();

    expect((await workflow.show(planId)).state).toBe('applied');
    expect(writes.applies).toEqual([]);
    const final = textOf((slack.message(CHANNEL, ts) as { blocks: unknown[] }).blocks);
    expect(final).toContain('*State:* APPLIED');
    expect(final).toContain(
      'Verified · 10:00 UTC: re-read stweb; no drift remains on the planned paths.',
    );
  });
});
