import { readAudit } from '../remediate/audit-log.js';
import { approvalMessageNow } from './approval-message-now.js';
import { type ChatMessage, ephemeral } from './chat-message.js';
import type { CommandDeps } from './command-ports.js';
import type { ChatCommand } from './parse-command.js';
import { auditMessage, planListMessage } from './render-audit.js';

type Of<V extends ChatCommand['verb']> = Extract<ChatCommand, { verb: V }>;

/**
 * `audit [scope]`: the latest remediation audit entries, only to the asker.
 *
 * @example
 * const message = await runAuditVerb({ verb: 'audit', scope: 'prod' }, deps);
 */
export async function runAuditVerb(command: Of<'audit'>, deps: CommandDeps): Promise<ChatMessage> {
  const entries = await readAudit(deps.store, command.scope ? { scope: command.scope } : {});
  return auditMessage(entries, command.scope);
}

/**
 * `remediate list [scope]` (plans, newest first) and `remediate show <plan id>` (one plan as its
 * approval message shows it, people named with the chat's `mention`), only to the asker. The
 * plan comes without its buttons: they belong to the approval message in the channel.
 *
 * @example
 * const message = await runRemediateVerb({ verb: 'remediate', action: 'show', plan: '7f3a' }, deps);
 */
export async function runRemediateVerb(
  command: Of<'remediate'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const remediation = deps.remediation;
  if (!remediation) return ephemeral('Remediation is not set up on this bot.', 'error');
  if (command.action === 'list')
    return planListMessage(await remediation.list(command.scope ? { scope: command.scope } : {}));
  const plan = await remediation.show(command.plan);
  const message = approvalMessageNow(plan, { ...deps, mention: deps.mention ?? asText });
  return {
    ...message,
    visibility: 'ephemeral',
    blocks: message.blocks.filter((b) => b.kind !== 'actions'),
  };
}

function asText(identity: string): string {
  return identity;
}
