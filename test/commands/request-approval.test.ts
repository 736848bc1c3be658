import { describe, expect, it } from 'vitest';
import { requestApproval } from '../../core/commands/request-approval.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';

const target = {
  scope: 'prod',
  findings: ['7f3a12c4'],
  strategy: 'revert' as const,
  requester: 'slack:UADA',
};
const actor = { id: 'slack:UADA' };

function fakeRemediation(approvalsRequired: number) {
  const cancelled: { id: string; reason?: string }[] = [];
  return {
    cancelled,
    plan: async () => ({ id: 'plan-1', approvalsRequired }) as RemediationPlan,
    cancel: async (input: { id: string; reason?: string }) => {
      cancelled.push({ id: input.id, ...(input.reason ? { reason: input.reason } : {}) });
      return { id: input.id } as RemediationPlan;
    },
  };
}

describe('requestApproval', () => {
  it('posts the approval and tells the requester how many approvals it needs', async () => {
    const remediation = fakeRemediation(2);
    const posted: string[] = [];

    const message = await requestApproval(target, actor, {
      remediation,
      what: 'card',
      post: async (plan) => void posted.push(plan.id),
    });

    expect(posted).toEqual(['plan-1']);
    expect(message.text).toBe(
      'Requested plan plan-1: the approval card is in the channel; 2 approvals needed.',
    );
    expect(remediation.cancelled).toEqual([]);
  });

  it('cancels the plan when its approval cannot be posted, and throws the error', async () => {
    const remediation = fakeRemediation(1);
    const gone = new Error('channel_not_found');

    const attempt = requestApproval(target, actor, {
      remediation,
      what: 'message',
      post: async () => {
        throw gone;
      },
    });

    await expect(attempt).rejects.toBe(gone);
    expect(remediation.cancelled).toEqual([
      { id: 'plan-1', reason: 'the approval message could not be posted' },
    ]);
  });
});
