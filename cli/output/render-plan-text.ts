import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { AuditEntry } from '../../core/remediate/audit-log.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { escapeControl } from '../../core/report/escape-terminal.js';

const safe = (text: string) => escapeControl(redactSecrets(text));

/** A plan for the terminal: state, who, what will be sent where (the exact requests). */
export function renderPlanText(plan: RemediationPlan): string {
  const approvals = plan.decisions.filter((d) => d.verdict === 'approve');
  const lines = [
    `plan ${plan.id} · ${plan.strategy} · scope ${safe(plan.scope)} · ${plan.state.toUpperCase()}`,
    `  requested by ${safe(plan.requester)} at ${plan.createdAt}; expires ${plan.expiresAt}`,
    `  approvals ${approvals.length} of ${plan.approvalsRequired}${approvals.length ? ` (${approvals.map((d) => safe(d.by)).join(', ')})` : ''}`,
  ];
  if (plan.reason) lines.push(`  reason: ${safe(plan.reason)}`);
  for (const r of plan.resources) {
    lines.push(`  finding ${r.fingerprint.slice(0, 8)} ${r.change} ${safe(r.resourceId)}`);
    for (const p of r.paths) lines.push(`    ${safe(p)}`);
  }
  for (const q of plan.requests) {
    lines.push(`  ${q.method} ${safe(q.url)}${q.ifMatch ? `  If-Match: ${safe(q.ifMatch)}` : ''}`);
    for (const line of JSON.stringify(q.body, null, 2).split('\n')) lines.push(`    ${safe(line)}`);
    if (q.omitted.length)
      lines.push(`    left out (read-only or not writable): ${q.omitted.map(safe).join(', ')}`);
  }
  if (plan.pipeline)
    lines.push(
      `  on apply: queues one run of pipeline ${safe(plan.pipeline.pipelineName)} (${safe(plan.pipeline.project)}, id ${plan.pipeline.pipelineId}) and follows it (${safe(plan.pipeline.why)})`,
    );
  if (plan.run)
    lines.push(
      `  run ${plan.run.runId ?? '(not known)'} ${plan.run.result ?? plan.run.state ?? plan.run.status}${plan.run.url ? ` ${safe(plan.run.url)}` : ''}`,
    );
  if (plan.strategy === 'accept')
    lines.push(
      `  on apply: the baseline of ${safe(plan.scope)} takes the current values of these paths`,
    );
  if (plan.outcome) lines.push(`  outcome: ${safe(plan.outcome)}`);
  return `${lines.join('\n')}\n`;
}

/** One line per plan: id, state, strategy, scope, resources, requester. */
export function renderPlanLine(plan: RemediationPlan): string {
  return `${plan.id}  ${plan.state.padEnd(9)} ${plan.strategy.padEnd(7)} ${safe(plan.scope)}  ${plan.resources.length} resource(s)  by ${safe(plan.requester)}  ${plan.createdAt}\n`;
}

/** One audit entry as a line of text. */
export function renderAuditLine(entry: AuditEntry): string {
  return `${entry.at}  ${safe(entry.actor)}  ${entry.action.padEnd(9)} ${entry.result.padEnd(7)} plan ${entry.planId} (${entry.strategy}, ${safe(entry.scope)}) → ${entry.state}${entry.message ? `: ${safe(entry.message)}` : ''}${entry.requests ? ` [${entry.requests.map((r) => `${r.method} ${safe(r.resourceId)}`).join('; ')}]` : ''}\n`;
}
