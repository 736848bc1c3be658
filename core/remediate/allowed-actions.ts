import type { DriftwatchConfig } from '../config/config-schema.js';
import type { Actor, RemediationPlan } from './remediation-plan.js';
import { approvalRefusal, isApprover, policyFor } from './remediation-policy.js';

/** What a person may do with a plan now. */
export type PlanAction = 'approve' | 'reject' | 'apply' | 'cancel';

/**
 * The actions `actor` may take on `plan` at `now`, for a chat adapter to decide which buttons to
 * show to whom (Teams `refresh.userIds`, Slack ephemeral previews). It only predicts: the
 * workflow checks again, atomically, when the action arrives. Change windows are not applied
 * here (an approved plan outside its window still shows Apply, and the refusal says when).
 *
 * @example
 * allowedActions(config, plan, { id: 'slack:U024BE7LH' }, new Date()) // ['approve', 'reject']
 */
export function allowedActions(
  config: Pick<DriftwatchConfig, 'remediation'>,
  plan: RemediationPlan,
  actor: Actor,
  now: Date,
): PlanAction[] {
  const open = plan.state === 'pending' || plan.state === 'approved';
  if (!open || new Date(plan.expiresAt) <= now) return [];
  const policy = policyFor(config, plan.scope);
  const requester = plan.requester.toLowerCase() === actor.id.toLowerCase();
  const actions: PlanAction[] = [];
  if (plan.state === 'pending') {
    if (!approvalRefusal(policy, plan, actor, 'approve')) actions.push('approve');
    if (!approvalRefusal(policy, plan, actor, 'reject')) actions.push('reject');
  }
  if (plan.state === 'approved' && (requester || isApprover(policy, actor))) actions.push('apply');
  if (requester || isApprover(policy, actor)) actions.push('cancel');
  return actions;
}
