import type { AuditEntry } from '../remediate/audit-log.js';
import type { RemediationPlan } from '../remediate/remediation-plan.js';
import type { ChatMessage } from './chat-message.js';

/** Entries shown in chat; the CLI (`driftwatch audit`) exports the whole log. */
const SHOWN = 20;

/**
 * The latest remediation audit entries of a scope (or of all scopes), oldest of them first, for
 * `/drift audit [scope]`. Entries were sanitised when stored; the renderer escapes them as data.
 *
 * @example
 * auditMessage(await readAudit(store, { scope: 'prod' }), 'prod')
 */
export function auditMessage(entries: readonly AuditEntry[], scope?: string): ChatMessage {
  const where = scope ? ` · ${scope}` : '';
  if (entries.length === 0)
    return {
      visibility: 'ephemeral',
      text: `No remediation audit entries${scope ? ` for ${scope}` : ''} yet.`,
      blocks: [
        { kind: 'text', text: `No remediation audit entries${scope ? ` for ${scope}` : ''} yet.` },
      ],
    };
  const latest = entries.slice(-SHOWN);
  const lines = latest.map((e) => {
    const requests = e.requests?.length
      ? ` [${e.requests.map((r) => `${r.method} …/${r.resourceId.split('/').at(-1)}`).join(', ')}]`
      : '';
    return `${e.at}  ${e.actor}  ${e.action}  ${e.result}  plan ${e.planId} (${e.strategy}, ${e.scope}) → ${e.state}${e.message ? `: ${e.message}` : ''}${requests}`;
  });
  return {
    visibility: 'ephemeral',
    text: `Remediation audit${where}: ${latest.length} of ${entries.length} entries`,
    header: `Remediation audit${where}`,
    blocks: [
      { kind: 'code', text: lines.join('\n') },
      {
        kind: 'context',
        lines: [
          `latest ${latest.length} of ${entries.length}; driftwatch audit${scope ? ` --scope ${scope}` : ''} --format jsonl exports them all`,
        ],
      },
    ],
  };
}

/** `/drift remediate list`: the plans, newest first, one line each. */
export function planListMessage(plans: readonly RemediationPlan[]): ChatMessage {
  const lines = plans
    .slice(0, SHOWN)
    .map(
      (p) =>
        `${p.id}  ${p.state.padEnd(9)}  ${p.strategy}  ${p.scope}  ${p.decisions.filter((d) => d.verdict === 'approve').length} of ${p.approvalsRequired}  by ${p.requester}  ${p.createdAt}`,
    );
  return {
    visibility: 'ephemeral',
    text: `${plans.length} remediation plan${plans.length === 1 ? '' : 's'}`,
    header: 'Remediation plans',
    blocks: lines.length
      ? [{ kind: 'code', text: lines.join('\n') }]
      : [{ kind: 'text', text: 'No remediation plans yet.' }],
  };
}
