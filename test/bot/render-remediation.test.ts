import { describe, expect, it } from 'vitest';
import { buildSlackMessages } from '../../bot/slack/build-blocks.js';
import { slackMention } from '../../bot/slack/slack-remediation-ref.js';
import { approvalMessage, remediationPreview } from '../../core/commands/render-remediation.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { validateBlocks } from '../sim/slack/validate-blocks.js';

const EVIL_ID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/<!channel>-{{group:S1}}';

/** A pending plan whose Azure values try to ping people and hold a secret. */
function evilPlan(overrides: Partial<RemediationPlan> = {}): RemediationPlan {
  return {
    id: '3f9c2a71d0b4',
    version: 1,
    writeId: 'w',
    scope: 'prod',
    strategy: 'revert',
    findings: ['fp1'],
    resources: [
      {
        resourceId: EVIL_ID,
        resourceType: 'Microsoft.Web/sites',
        change: 'modified',
        fingerprint: 'fp1',
        paths: ['tags.owner'],
      },
    ],
    requests: [
      {
        resourceId: EVIL_ID,
        method: 'PATCH',
        url: `${EVIL_ID}?api-version=2024-04-01`,
        apiVersion: '2024-04-01',
        ifMatch: 'W/"1"',
        body: { tags: { owner: '<@U999> AccountKey=abcDEF123456==;', big: 'x'.repeat(5000) } },
        omitted: ['properties.siteConfig.appSettings (secret)'],
      },
    ],
    requester: 'slack:UADA',
    createdAt: '2026-11-25T10:00:00.000Z',
    expiresAt: '2026-11-26T10:00:00.000Z',
    state: 'pending',
    approvalsRequired: 2,
    decisions: [],
    history: [{ state: 'pending', at: '2026-11-25T10:00:00.000Z', by: 'slack:UADA' }],
    ...overrides,
  };
}

const view = {
  now: new Date('2026-11-25T10:00:00Z'),
  timezone: 'UTC',
  mention: slackMention,
  approvers: ['slack:UBOB', 'slack-group:SAPPROVERS', 'cli:ada'],
};

describe('remediation messages in Block Kit', () => {
  it('escapes every Azure value and masks secrets, mentioning only the requester and approvers', () => {
    const { main } = buildSlackMessages(approvalMessage(evilPlan(), view));
    const all = JSON.stringify(main);

    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U999>');
    expect(all).not.toContain('abcDEF123456');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all.match(/<[@!][^>]*>/g)).toEqual(['<@UADA>', '<@UBOB>', '<!subteam^SAPPROVERS>']);
    expect(validateBlocks(main.blocks)).toEqual([]);
  });

  it('keeps a large request body within one section, pointing to the CLI for the rest', () => {
    const { main } = buildSlackMessages(
      remediationPreview(evilPlan(), { allowed: ['revert'], strategyIds: {}, requestId: 'k1' }),
    );

    const code = main.blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith('```'));
    expect(code).toHaveLength(1);
    expect(JSON.stringify(code)).toContain(
      'driftwatch remediate show 3f9c2a71d0b4 prints it whole',
    );
    expect(validateBlocks(main.blocks)).toEqual([]);
  });

  it('shows a stale plan with what its outcome says was written, never claiming nothing was', () => {
    const outcome = `${EVIL_ID} changed since the plan (ARM answered 412 Precondition Failed to If-Match W/"1"); it was not written (1 earlier write(s) of this plan were); plan again`;
    const stale = evilPlan({
      state: 'stale',
      outcome,
      history: [{ state: 'stale', at: '2026-11-25T10:00:00.000Z', by: 'slack:UBOB' }],
    });

    const text = JSON.stringify(buildSlackMessages(approvalMessage(stale, view)).main.blocks);

    expect(text).toContain('1 earlier write(s) of this plan were); plan again. To plan again');
    expect(text).toContain('To plan again, click Remediate… on a fresh summary.');
    expect(text).not.toMatch(/nothing was written/i);
  });

  it.each([
    ['pending', ['drift_approve_plan', 'drift_reject_plan']],
    ['approved', ['drift_apply_plan']],
    ['applied', []],
    ['rejected', []],
  ] as const)('offers the buttons a %s plan allows, each behind a confirm dialog', (state, ids) => {
    const { main } = buildSlackMessages(approvalMessage(evilPlan({ state }), view));

    const buttons = main.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual(ids);
    expect(buttons.every((b) => 'confirm' in b && b.confirm !== undefined)).toBe(true);
  });
});
