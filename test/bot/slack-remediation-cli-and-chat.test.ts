import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import { systemClock } from '../../core/clock.js';
import { parseConfig } from '../../core/config/load-config.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import {
  buildCliChildOnce,
  cliWorkdir,
  driftEstate,
  remediationConfigDocument,
  remediationEstate,
  STORAGE_ID,
  type StoreTarget,
  scanScope,
  storeTargetEnv,
} from '../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { spawnChild } from '../support/spawn-child.js';
import {
  ADA,
  BOB,
  buttonsOf,
  CHANNEL,
  click,
  requestStorageApproval,
  startRemediationBot,
  TOKEN,
  textOf,
} from './remediation-bot-harness.js';

const child = buildCliChildOnce();

/**
 * The Slack bot (this process) and `driftwatch remediate` (separate processes) deciding and
 * applying the same plan at the same time, on one store: one decision, one write at the ARM
 * simulator. Both sides read the same config file (approvers in Slack and on the CLI).
 */
function cliAndChatSuite(target: () => StoreTarget) {
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let bot: RunningBot;
  let remediation: Remediation;
  let cwd: string;
  let env: Record<string, string>;
  let scope: string;

  beforeEach(async () => {
    slack = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    // A scope of its own: CLI processes use the store's default namespace, shared with other files.
    scope = `rmc${randomBytes(4).toString('hex')}`;
    const document = remediationConfigDocument(
      arm,
      { approvers: [`slack:${ADA}`, `slack:${BOB}`, 'cli:bob'] },
      {},
      scope,
    );
    const workdir = cliWorkdir(arm, document, 'dw-remediate-cli-chat-');
    cwd = workdir.cwd;
    const where = target();
    env = { ...workdir.env, ...storeTargetEnv(where) };
    const config = parseConfig(document, 'test config');
    store = await openStore({ ...where, clock: systemClock });
    await scanScope(arm, store, config, true, scope);
    driftEstate(arm);
    await scanScope(arm, store, config, false, scope);
    ({ bot, remediation } = await startRemediationBot({
      slack,
      arm,
      store,
      config,
      clock: systemClock,
    }));
    writes.mode = 'lro';
    writes.pollsBeforeDone = 1;
  });
  afterEach(async () => {
    writes.hold = false;
    expect(slack.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
    await bot.close();
    await store.close();
    await arm.close();
    await slack.close();
  });

  const cli = (args: string[]) =>
    spawnChild(child(), args, { cwd, env: { ...env, DRIFTWATCH_ACTOR: 'cli:bob' } }).done;
  const message = (ts: string) =>
    slack.message(CHANNEL, ts) as { ts: string; text: string; blocks: unknown[] };
  /** Bob clicks `action` on the approval message as it is now. */
  const clickOn = (ts: string, action: 'approve' | 'apply', responseId: string) => {
    const current = message(ts);
    const button = buttonsOf(current.blocks).find((b) => b.action_id === `drift_${action}_plan`);
    if (!button) throw new Error(`the approval message has no ${action} button`);
    return click(bot, slack, {
      actionId: `drift_${action}_plan`,
      value: button.value,
      user: BOB,
      responseId,
      message: { ts, text: current.text, blocks: current.blocks },
    });
  };
  /** Ada: `/drift status`, the storage finding's *Remediate…*, *Request approval*. */
  const requestApproval = async () => {
    const { ts } = await requestStorageApproval(bot, slack, scope);
    const [plan] = await remediation.list({ scope });
    return { ts, planId: plan?.id ?? '' };
  };
  const okActions = async (planId: string) =>
    (await readAudit(store, { planId })).filter((e) => e.result === 'ok').map((e) => e.action);

  it('an approval clicked in Slack and one run on the CLI at the same moment give one decision and one write', async () => {
    const { ts, planId } = await requestApproval();

    const [clicked, fromCli] = await Promise.all([
      clickOn(ts, 'approve', 'slack-approve'),
      cli(['remediate', 'approve', planId, '--format', 'json']),
    ]);
    // Whichever side lost the decision, the plan ends applied; a CLI apply finishes a CLI approval.
    const applied = await cli(['remediate', 'apply', planId, '--format', 'json']);

    expect(clicked).toBe(200);
    expect([0, 1]).toContain(fromCli.code);
    expect([0, 1]).toContain(applied.code);
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({ method: 'PATCH', path: STORAGE_ID });
    expect((await remediation.show(planId)).state).toBe('applied');
    const audit = await readAudit(store, { planId });
    expect(audit.filter((e) => e.action === 'approve' && e.result === 'ok')).toHaveLength(1);
    expect(await okActions(planId)).toEqual(['request', 'approve', 'apply', 'write', 'verify']);
  }, 90_000);

  it('Apply clicked twice in Slack and run by two CLI processes while the write is in flight give one write', async () => {
    const { ts, planId } = await requestApproval();
    const approved = await cli(['remediate', 'approve', planId]);
    // Bob's Approve in Slack now comes too late: refused to him, the message shows Apply.
    await clickOn(ts, 'approve', 'late-approve');
    writes.hold = true;

    const finished: string[] = [];
    const track = <T>(name: string, work: Promise<T>) =>
      work.then((result) => {
        finished.push(name);
        return result;
      });
    const racing = Promise.all([
      track('slack-1', clickOn(ts, 'apply', 'apply-1')),
      track('slack-2', clickOn(ts, 'apply', 'apply-2')),
      track('cli-1', cli(['remediate', 'apply', planId])),
      track('cli-2', cli(['remediate', 'apply', planId])),
    ]);
    // The winner holds the plan `applying` while ARM keeps its operation in progress; the three
    // others are refused meanwhile. Then the operation is let finish.
    const deadline = Date.now() + 60_000;
    while (finished.length < 3) {
      if (Date.now() > deadline) throw new Error(`only ${finished.join(', ')} finished`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const appliesWhileHeld = writes.applies.length;
    writes.hold = false;
    const [slack1, slack2, cli1, cli2] = await racing;

    expect(approved.code).toBe(0);
    const lateAnswer = slack.callsTo('response_url:late-approve').at(-1)?.args as
      | { text: string }
      | undefined;
    expect(lateAnswer?.text).toContain(
      `Not done: plan ${planId} is approved (approved by cli:bob)`,
    );
    expect([slack1, slack2]).toEqual([200, 200]);
    const refusedOnCli = [cli1, cli2].filter((r) => r.code === 1);
    for (const refused of refusedOnCli)
      expect(refused.stderr).toMatch(
        new RegExp(`^driftwatch: plan ${planId} is already being applied \\(`),
      );
    expect(appliesWhileHeld).toBe(1);
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({ method: 'PATCH', path: STORAGE_ID });
    const audit = await readAudit(store, { planId });
    expect(audit.filter((e) => e.action === 'apply' && e.result === 'ok')).toHaveLength(1);
    expect(
      audit
        .filter((e) => e.action === 'refuse')
        .map((e) => e.message?.replace(/ \(.*$/, ''))
        .filter((m) => m?.startsWith('apply:')),
    ).toEqual([
      `apply: plan ${planId} is already being applied`,
      `apply: plan ${planId} is already being applied`,
      `apply: plan ${planId} is already being applied`,
    ]);
    expect((await remediation.show(planId)).state).toBe('applied');
    expect(arm.estate.get(STORAGE_ID)?.properties).toMatchObject({
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
    expect(textOf(message(ts).blocks)).toMatch(/\*State:\* (APPLYING|APPLIED)/);
  }, 120_000);
}

describe('Slack and the remediate CLI at once', () => {
  describe('on SQLite', () => {
    let path = '';
    beforeEach(() => {
      path = join(mkdtempSync(join(tmpdir(), 'dw-remediate-cli-chat-store-')), 'store.sqlite');
    });
    cliAndChatSuite(() => ({ path }));
  });
  describeWithRedis('on Redis', () => {
    cliAndChatSuite(() => ({ redisUrl: REDIS_URL }));
  });
});
