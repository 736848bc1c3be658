import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { type OpenStoreOptions, openStore } from '../../core/store/open-store.js';
import {
  driftEstate,
  fakeClock,
  NSG_ID,
  remediationEstate,
  STORAGE_ID,
  scanScope,
} from '../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import {
  ADA,
  APPROVER_GROUP,
  BOB,
  bobApproves,
  buttonsOf,
  CAROL,
  CHANNEL,
  click,
  EVE,
  openStoragePreview,
  remediationBotConfig,
  requestStorageApproval,
  slash,
  startRemediationBot,
  TOKEN,
  textOf,
} from './remediation-bot-harness.js';

describe('Slack remediation workflow (real Bolt app, Slack and ARM simulators)', () => {
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let bot: RunningBot;
  let remediation: Remediation;
  const clock = fakeClock('2026-11-25T10:00:00Z'); // a Wednesday

  /** Baseline, portal drift, a scan that reports it, and the bot with this policy. */
  let storeClosed = false;
  const setUp = async (
    policy: Record<string, unknown> = {},
    where: OpenStoreOptions = { memory: true },
  ) => {
    storeClosed = false;
    slack = await startSlackSimulator({
      token: TOKEN,
      channelIntervalMs: 0,
      usergroups: { [APPROVER_GROUP]: [CAROL] },
    });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    store = await openStore({ ...where, clock });
    const config = remediationBotConfig(arm, policy);
    await scanScope(arm, store, config, true);
    driftEstate(arm);
    await scanScope(arm, store, config);
    ({ bot, remediation } = await startRemediationBot({ slack, arm, store, config, clock }));
  };
  afterEach(async () => {
    expect(slack.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
    await bot.close();
    if (!storeClosed) await store.close();
    await arm.close();
    await slack.close();
  });

  const responses = (id: string) => slack.callsTo(`response_url:${id}`).map((c) => c.args);
  const lastResponse = (id: string) =>
    responses(id).at(-1) as {
      text: string;
      blocks: unknown[];
      response_type?: string;
      replace_original?: boolean;
    };

  /** `/drift status prod` → the storage finding's *Remediate…* → the preview. */
  const openPreview = () => openStoragePreview(bot, slack, 'prod');
  /** The preview → *Request approval*: the approval message in the channel. */
  const requestApproval = async () => {
    const { preview, ts } = await requestStorageApproval(bot, slack, 'prod');
    const [plan] = await remediation.list();
    return { preview, ts, planId: plan?.id ?? '' };
  };
  const message = (ts: string) =>
    slack.message(CHANNEL, ts) as { ts: string; text: string; blocks: unknown[] };
  const decide = (ts: string, action: 'approve' | 'reject' | 'apply', user: string) => {
    const current = message(ts);
    const button = buttonsOf(current.blocks).find((b) => b.action_id === `drift_${action}_plan`);
    return click(bot, slack, {
      actionId: `drift_${action}_plan`,
      value: button?.value ?? '',
      user,
      responseId: `${action}-${user}`,
      message: { ts, text: current.text, blocks: current.blocks },
    });
  };

  it('previews only to the requester, posts the approval request, and on approval applies once and updates the message in place', async () => {
    await setUp();

    const { preview, ts, planId } = await requestApproval();
    await decide(ts, 'approve', BOB);

    // The preview: ephemeral, the exact PATCH with its body, the strategies the policy allows.
    expect(responses('preview')[0]).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
    });
    expect(textOf(preview.blocks)).toContain(`PATCH ${STORAGE_ID}?api-version=`);
    expect(textOf(preview.blocks)).toContain('"allowBlobPublicAccess": false');
    expect(buttonsOf(preview.blocks).map((b) => [b.action_id, b.text.text])).toEqual([
      ['drift_request_approval', 'Request approval'],
      ['drift_remediate_strategy', 'Preview accept instead'],
    ]);
    // Nothing stored by the preview, one pending plan after the request.
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const posted = slack.callsTo('chat.postMessage')[0]?.args as { blocks: unknown[] };
    expect(textOf(posted.blocks)).toContain(
      `<@${ADA}> asks to revert 1 finding on prod. Approvers: <@${ADA}>, <@${BOB}>, <!subteam^${APPROVER_GROUP}>`,
    );
    expect(
      buttonsOf(posted.blocks).map((b) => [b.action_id, b.style, b.confirm?.confirm.text]),
    ).toEqual([
      ['drift_approve_plan', 'primary', 'Approve'],
      ['drift_reject_plan', 'danger', 'Reject'],
    ]);
    // Approved by Bob, applied once, the same message updated in place.
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]?.method).toBe('PATCH');
    const updates = slack.callsTo('chat.update').map((c) => c.args.ts);
    expect(updates).toEqual([ts, ts]);
    const final = textOf(message(ts).blocks);
    expect(final).toContain('*State:* APPLIED');
    expect(final).toContain('*Approvals:* 1 of 1');
    expect(final).toContain(`Approved by <@${BOB}> · 10:00 UTC`);
    expect(final).toContain(
      'Verified · 10:00 UTC: re-read stweb; no drift remains on the planned paths.',
    );
    expect(buttonsOf(message(ts).blocks)).toEqual([]);
    expect((await remediation.show(planId)).state).toBe('applied');
  });

  it('switches the preview to another allowed strategy in place', async () => {
    await setUp();
    const preview = await openPreview();
    const accept = buttonsOf(preview.blocks).find(
      (b) => b.action_id === 'drift_remediate_strategy',
    );

    await click(bot, slack, {
      actionId: 'drift_remediate_strategy',
      value: accept?.value ?? '',
      user: ADA,
      responseId: 'strategy',
    });

    const switched = lastResponse('strategy') as {
      text: string;
      blocks: unknown[];
      replace_original?: boolean;
    };
    expect(switched.replace_original).toBe(true);
    expect(textOf(switched.blocks)).toContain('Remediation preview · accept · prod');
    expect(textOf(switched.blocks)).toContain('Nothing is sent to Azure');
  });

  it('shows a plan ARM refused with 412 as stale on the message, with nothing written and how to plan again', async () => {
    await setUp();
    const { ts, planId } = await requestApproval();
    // Someone changes the storage account between driftwatch's re-read and its write.
    writes.beforeWrite = () => {
      const now = arm.estate.get(STORAGE_ID);
      if (now) arm.estate.put({ ...now, tags: { env: 'prod', racing: 'yes' } });
    };

    await decide(ts, 'approve', BOB);

    expect(writes.applies).toEqual([]);
    expect((await remediation.show(planId)).state).toBe('stale');
    const final = textOf(message(ts).blocks);
    expect(final).toContain('*State:* STALE');
    expect(final).toContain(
      `changed since the plan (ARM answered 412 Precondition Failed to If-Match W/`,
    );
    expect(final).toContain(
      'nothing was written; plan again. To plan again, click Remediate… on a fresh summary.',
    );
    expect(buttonsOf(message(ts).blocks)).toEqual([]);
  });

  it('rejects: the message says who rejected and when, and nothing is written', async () => {
    await setUp();
    const { ts, planId } = await requestApproval();

    await decide(ts, 'reject', BOB);

    const final = textOf(message(ts).blocks);
    expect(final).toContain('*State:* REJECTED');
    expect(final).toContain(`Rejected by <@${BOB}> · 10:00 UTC`);
    expect(buttonsOf(message(ts).blocks)).toEqual([]);
    expect(writes.applies).toEqual([]);
    expect((await remediation.show(planId)).state).toBe('rejected');
  });

  it.each([
    ['a non-approver', EVE, `slack:${EVE} is not an approver for scope prod`],
    ['the requester approving their own request', ADA, `slack:${ADA} requested plan`],
  ])('refuses %s only to the clicker, leaving the message as it was', async (_case, user, why) => {
    await setUp();
    const { ts, planId } = await requestApproval();
    const updatesBefore = slack.callsTo('chat.update').length;

    await decide(ts, 'approve', user);

    const refusal = lastResponse(`approve-${user}`);
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.text).toContain(`Not done: ${why}`);
    expect(slack.callsTo('chat.update')).toHaveLength(updatesBefore);
    expect(slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect((await remediation.show(planId)).state).toBe('pending');
    expect(writes.applies).toEqual([]);
  });

  it('needs two approvals when the policy says 2 of 3, showing progress, and admits an approver through a user group', async () => {
    await setUp({ approvals: 2 });
    const { ts } = await requestApproval();

    await decide(ts, 'approve', BOB);
    const halfway = textOf(message(ts).blocks);
    const halfwayButtons = buttonsOf(message(ts).blocks).map((b) => b.action_id);
    await decide(ts, 'approve', CAROL);

    expect(halfway).toContain('*State:* PENDING');
    expect(halfway).toContain('*Approvals:* 1 of 2');
    expect(halfwayButtons).toEqual(['drift_approve_plan', 'drift_reject_plan']);
    expect(writes.applies).toHaveLength(1);
    const final = textOf(message(ts).blocks);
    expect(final).toContain('*Approvals:* 2 of 2');
    expect(final).toContain(`Approved by <@${CAROL}>`);
    expect(final).toContain('*State:* APPLIED');
    expect(slack.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toContain(
      APPROVER_GROUP,
    );
  });

  it('applies once for a double click and a Slack retry of the same approval', async () => {
    await setUp();
    const { ts, planId } = await requestApproval();
    const approval = { ts, message: message(ts) };
    const same = (responseId: string, retryNum?: number) =>
      bobApproves(bot, slack, approval, responseId, retryNum);

    const statuses = await Promise.all([same('first'), same('second'), same('retry', 1)]);

    expect(statuses).toEqual([200, 200, 200]);
    expect(writes.applies).toHaveLength(1);
    const audit = await readAudit(store, { planId });
    expect(audit.filter((e) => e.action === 'approve').map((e) => e.actor)).toEqual([
      `slack:${BOB}`,
    ]);
    expect(audit.filter((e) => e.action === 'apply')).toHaveLength(1);
    expect(textOf(message(ts).blocks)).toContain('*State:* APPLIED');
  });

  it('approves outside the change window but refuses to apply, telling the clicker when the window opens', async () => {
    await setUp({ windows: [{ days: ['sat'], from: '02:00', to: '04:00' }] });
    const { ts, planId } = await requestApproval();

    await decide(ts, 'approve', BOB);

    const refusal = lastResponse(`approve-${BOB}`);
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.text).toContain(
      'the next opens at 2026-11-28 02:00 UTC (2026-11-28T02:00:00.000Z)',
    );
    expect(writes.applies).toEqual([]);
    expect((await remediation.show(planId)).state).toBe('approved');
    expect(textOf(message(ts).blocks)).toContain('*State:* APPROVED');
    expect(buttonsOf(message(ts).blocks).map((b) => b.action_id)).toEqual(['drift_apply_plan']);
  });

  it('answers /drift audit prod only to the asker with the latest entries, and /drift remediate show with the plan', async () => {
    await setUp();
    const { ts, planId } = await requestApproval();
    await decide(ts, 'approve', BOB);

    await slash(bot, slack, 'audit prod', EVE, 'audit');
    await slash(bot, slack, `remediate show ${planId.slice(0, 6)}`, EVE, 'show');

    const audit = lastResponse('audit') as {
      text: string;
      blocks: unknown[];
      response_type: string;
    };
    expect(audit.response_type).toBe('ephemeral');
    const lines = textOf(audit.blocks);
    for (const action of ['request', 'approve', 'apply', 'write', 'verify'])
      expect(lines).toContain(`  ${action}  ok  plan ${planId} (revert, prod)`);
    expect(lines).toContain(`slack:${BOB}  approve  ok`);
    const shown = lastResponse('show');
    expect(shown.response_type).toBe('ephemeral');
    expect(textOf(shown.blocks)).toContain('*State:* APPLIED');
    expect(buttonsOf(shown.blocks)).toEqual([]);
  });
  it('refuses a decision when the store cannot be reached, telling the clicker nothing was approved', async () => {
    await setUp({}, { path: join(mkdtempSync(join(tmpdir(), 'dw-slack-rm-')), 'store.sqlite') });
    const { ts } = await requestApproval();
    await store.close();
    storeClosed = true;

    await decide(ts, 'approve', BOB);

    const refusal = lastResponse(`approve-${BOB}`);
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.text).toMatch(
      /^Not done: the store cannot be reached, so nothing was approved \(remediation fails closed\): /,
    );
    expect(writes.applies).toEqual([]);
  });

  it('refuses an expired request to the clicker and shows it expired on the message', async () => {
    await setUp({ expiry: '1h' });
    const { ts } = await requestApproval();
    clock.tick(61 * 60_000);

    await decide(ts, 'approve', BOB);

    expect(lastResponse(`approve-${BOB}`).text).toContain(
      'expired at 2026-11-25T11:00:00.000Z; plan again',
    );
    expect(textOf(message(ts).blocks)).toContain('*State:* EXPIRED');
    expect(buttonsOf(message(ts).blocks)).toEqual([]);
    expect(writes.applies).toEqual([]);
  });

  it("previews every finding of the scope from the summary's Remediate all… button", async () => {
    await setUp();
    await slash(bot, slack, 'status prod', ADA, 'status');
    const all = buttonsOf(lastResponse('status').blocks).find(
      (b) => b.text.text === 'Remediate all 2…',
    );

    await click(bot, slack, {
      actionId: 'drift_remediate',
      value: all?.value ?? '',
      user: ADA,
      responseId: 'preview-all',
    });

    const preview = textOf(lastResponse('preview-all').blocks);
    expect(preview).toContain('Remediation preview · revert · prod');
    expect(preview).toContain(`PATCH ${STORAGE_ID}?api-version=`);
    expect(preview).toContain(`PUT ${NSG_ID}?api-version=`);
  });

  it('resolves no user groups when the policy names none', async () => {
    await setUp({ approvers: [`slack:${ADA}`, `slack:${BOB}`] });
    const { ts } = await requestApproval();

    await decide(ts, 'approve', BOB);

    expect(textOf(message(ts).blocks)).toContain('*State:* APPLIED');
    expect(slack.callsTo('usergroups.users.list')).toEqual([]);
  });
});
