import type { DriftwatchConfig } from '../config/config-schema.js';
import type { RemediationPolicy, Strategy } from '../config/sections/remediation-config.js';
import { PermissionError } from '../errors.js';
import type { Actor, RemediationPlan } from './remediation-plan.js';

/** The scope's policy, or a refusal saying how to add one. */
export function policyFor(
  config: Pick<DriftwatchConfig, 'remediation'>,
  scope: string,
): RemediationPolicy {
  const policies = config.remediation?.scopes ?? {};
  const found = Object.entries(policies).find(
    ([name]) => name.toLowerCase() === scope.toLowerCase(),
  );
  if (!found)
    throw new PermissionError(
      'remediation.no-policy',
      `scope "${scope}" has no remediation policy, so nothing can be remediated there; add remediation.scopes.${scope} (approvers, strategies) to the config file${Object.keys(policies).length ? ` (policies exist for: ${Object.keys(policies).join(', ')})` : ''}`,
    );
  return found[1];
}

/** Refuses a strategy the scope does not allow, naming the ones it does. */
export function requireStrategy(
  policy: RemediationPolicy,
  scope: string,
  strategy: Strategy,
): void {
  if (policy.strategies.includes(strategy)) return;
  throw new PermissionError(
    'remediation.strategy-not-allowed',
    `strategy ${strategy} is not allowed on scope ${scope} (allowed: ${policy.strategies.join(', ')})${strategy === 'revert' ? `; revert writes to Azure, so it needs remediation.scopes.${scope}.strategies to list it and an identity with write permission` : ''}`,
  );
}

/** True when the actor, or one of its groups, is listed as an approver. */
export function isApprover(policy: RemediationPolicy, actor: Actor): boolean {
  const ids = [actor.id, ...(actor.groups ?? [])].map((s) => s.toLowerCase());
  return policy.approvers.some((a) => ids.includes(a.toLowerCase()));
}

/**
 * Why `actor` may not approve or reject `plan` (a coded refusal), or undefined when they may.
 * The requester cannot approve their own request unless the policy says otherwise; nobody
 * approves twice.
 */
export function approvalRefusal(
  policy: RemediationPolicy,
  plan: RemediationPlan,
  actor: Actor,
  verdict: 'approve' | 'reject',
): PermissionError | undefined {
  if (!isApprover(policy, actor))
    return new PermissionError(
      'remediation.not-approver',
      `${actor.id} is not an approver for scope ${plan.scope}, so they cannot ${verdict} plan ${plan.id}; approvers: ${policy.approvers.join(', ')}`,
    );
  if (
    verdict === 'approve' &&
    policy.requesterCannotApprove &&
    actor.id.toLowerCase() === plan.requester.toLowerCase()
  )
    return new PermissionError(
      'remediation.self-approval',
      `${actor.id} requested plan ${plan.id} and cannot approve it too (requesterCannotApprove); another approver must: ${policy.approvers.filter((a) => a.toLowerCase() !== actor.id.toLowerCase()).join(', ')}`,
    );
  if (plan.decisions.some((d) => d.by.toLowerCase() === actor.id.toLowerCase()))
    return new PermissionError(
      'remediation.already-decided',
      `${actor.id} has already decided on plan ${plan.id}`,
    );
  return undefined;
}
