import type { DriftwatchConfig } from '../config/config-schema.js';
import type { Strategy } from '../config/sections/remediation-config.js';
import { isDriftwatchError } from '../errors.js';
import type { Actor, RemediationPlan } from '../remediate/remediation-plan.js';
import { policyFor } from '../remediate/remediation-policy.js';
import { refusalMessage } from '../remediate/remediation-refusals.js';
import type { Remediation } from '../remediate/remediation-service.js';
import type { DriftStore } from '../store/drift-store.js';
import type { ActionContext } from './action-context.js';
import type { ChatMessage } from './chat-message.js';
import { type RemediationTarget, saveRemediationTarget } from './remediation-target.js';
import { remediationPreview } from './render-remediation.js';
import { ALL_FINDINGS } from './summarise-report.js';

/** What a remediation preview reads and stores. */
export interface PreviewDeps {
  config: DriftwatchConfig;
  store: DriftStore;
  remediation: Pick<Remediation, 'plan'>;
  /** Opaque ids for the preview's buttons; injected by tests for stable output. */
  newId?: () => string;
}

/** Told to a clicker whose preview's buttons have expired (a target lives a day). */
export const TARGET_GONE = 'This preview is too old; click Remediate… on a fresh summary.';

/**
 * What a summary's *Remediate…* button (one finding, or *Remediate all…*) targets: the findings
 * whose resources were read, with the scope policy's first strategy. Throws the policy's
 * refusal when the scope has none.
 *
 * @example
 * const target = await remediationTargetOf(context, actor, deps);
 */
export async function remediationTargetOf(
  context: ActionContext,
  actor: Actor,
  deps: Pick<PreviewDeps, 'config' | 'store'>,
): Promise<RemediationTarget> {
  const [first] = policyFor(deps.config, context.scope).strategies;
  const findings =
    context.fingerprint === ALL_FINDINGS
      ? await readableFindings(context.reportId, deps.store)
      : [context.fingerprint];
  return { scope: context.scope, findings, strategy: first as Strategy, requester: actor.id };
}

/**
 * The dry-run preview of a target, with stored ids for *Request approval* and for previewing the
 * policy's other strategies. A plan the workflow refuses becomes the refusal, still offering the
 * other strategies.
 *
 * @example
 * return tell(await previewRemediation(target, actor, deps));
 */
export async function previewRemediation(
  target: RemediationTarget,
  actor: Actor,
  deps: PreviewDeps,
): Promise<ChatMessage> {
  const allowed = policyFor(deps.config, target.scope).strategies;
  const save = (strategy: Strategy) =>
    saveRemediationTarget(deps.store, { ...target, strategy, requester: actor.id }, deps.newId);
  const strategyIds: Partial<Record<Strategy, string>> = {};
  for (const s of allowed) if (s !== target.strategy) strategyIds[s] = await save(s);
  let plan: RemediationPlan;
  try {
    plan = await deps.remediation.plan({ ...target, actor, dryRun: true });
  } catch (error) {
    if (!isDriftwatchError(error)) throw error;
    const refused = refusalMessage(error);
    const others = allowed.filter((s) => strategyIds[s]);
    if (others.length > 0)
      refused.blocks.push({
        kind: 'actions',
        actions: others.map((s) => ({
          kind: 'remediate-strategy' as const,
          label: `Preview ${s} instead`,
          id: strategyIds[s] as string,
        })),
      });
    return refused;
  }
  return remediationPreview(plan, { allowed, strategyIds, requestId: await save(target.strategy) });
}

/** A report's findings whose resources were read (an unknown one cannot be remediated). */
async function readableFindings(reportId: string, store: DriftStore): Promise<string[]> {
  const stored = await store.getReport(reportId);
  return (stored?.report.findings ?? [])
    .filter((f) => f.change !== 'unknown')
    .map((f) => f.fingerprint);
}
