import type { Actor, RemediationPlan } from './remediation-plan.js';
import { failedClosed, isRepeat } from './remediation-refusals.js';
import type { Remediation } from './remediation-service.js';

/** How a decision from chat ended, with the plan as it stands afterwards and who decided. */
export type DecisionOutcome =
  | { outcome: 'decided'; plan: RemediationPlan; actor: Actor }
  /** The same person's same decision again (double click, retry, another replica): stay quiet. */
  | { outcome: 'repeat'; plan: RemediationPlan; actor: Actor }
  /** Refused by the workflow: `error` is for the clicker; `plan` shows whether it is still pending. */
  | { outcome: 'refused'; plan: RemediationPlan; actor: Actor; error: unknown };

/**
 * An approver's Approve or Reject click, as every chat handles it: reads the plan (failing closed
 * when the store cannot be read), makes the actor for its scope, and asks the workflow to decide.
 * Exactly once is the workflow's compare-and-set; this only tells a repeat from a refusal.
 *
 * @example
 * const decision = await decidePlan(remediation, planId, 'approve', (scope) => actorFor(scope));
 * if (decision.outcome === 'refused') throw decision.error;
 */
export async function decidePlan(
  remediation: Pick<Remediation, 'show' | 'approve' | 'reject'>,
  id: string,
  verdict: 'approve' | 'reject',
  actorFor: (scope: string) => Promise<Actor>,
): Promise<DecisionOutcome> {
  const before = await remediation.show(id).catch((error: unknown) => {
    throw failedClosed(error, verdict === 'approve' ? 'approved' : 'rejected');
  });
  const actor = await actorFor(before.scope);
  try {
    return {
      outcome: 'decided',
      plan: await remediation[verdict]({ id: before.id, actor }),
      actor,
    };
  } catch (error) {
    const plan = await remediation.show(before.id).catch(() => before);
    if (isRepeat(error, plan, actor, verdict)) return { outcome: 'repeat', plan, actor };
    return { outcome: 'refused', plan, actor, error };
  }
}
