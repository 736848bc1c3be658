import type { Actor, RemediationPlan } from '../remediate/remediation-plan.js';
import type { Remediation } from '../remediate/remediation-service.js';
import { type ChatMessage, ephemeral } from './chat-message.js';
import type { RemediationTarget } from './remediation-target.js';

/**
 * A preview's *Request approval*, as every chat handles it: stores the plan, has the chat post its
 * approval `what` (`message` in Slack, `card` in Teams) through `post`, and tells the requester
 * how many approvals it needs. A plan whose approval could not be posted is cancelled, so no one
 * waits on a request nobody can see, and the error is thrown for the requester.
 *
 * @example
 * tell(await requestApproval(target, actor, { remediation, what: 'message', post: (plan) => postIt(plan) }));
 */
export async function requestApproval(
  target: RemediationTarget,
  actor: Actor,
  deps: {
    remediation: Pick<Remediation, 'plan' | 'cancel'>;
    what: string;
    post: (plan: RemediationPlan) => Promise<void>;
  },
): Promise<ChatMessage> {
  const plan = await deps.remediation.plan({ ...target, actor });
  try {
    await deps.post(plan);
  } catch (error) {
    await deps.remediation.cancel({
      id: plan.id,
      actor,
      reason: `the approval ${deps.what} could not be posted`,
    });
    throw error;
  }
  const approvals = `${plan.approvalsRequired} approval${plan.approvalsRequired === 1 ? '' : 's'}`;
  return ephemeral(
    `Requested plan ${plan.id}: the approval ${deps.what} is in the channel; ${approvals} needed.`,
    'ok',
  );
}
