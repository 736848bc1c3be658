import { authoriseCommand, type ChatActor } from '../../core/commands/authorise-command.js';
import { type ChatInline, type ChatMessage, ephemeral } from '../../core/commands/chat-message.js';
import { chatSettings } from '../../core/commands/chat-settings.js';
import { auditMessage, planListMessage } from '../../core/commands/render-audit.js';
import { approvalMessage } from '../../core/commands/render-remediation.js';
import { tokenizeCommand } from '../../core/commands/tokenize-command.js';
import { isDriftwatchError, PermissionError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import { policyFor } from '../../core/remediate/remediation-policy.js';
import { teamsMention } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';

/** True for the remediation read commands this module answers (`audit`, `remediate …`). */
export function isRemediationCommand(text: string): boolean {
  const first = text.trim().split(/\s+/)[0]?.toLowerCase();
  return first === 'audit' || first === 'remediate';
}

/**
 * `@driftwatch audit [scope]`, `@driftwatch remediate list [scope]` and `@driftwatch remediate
 * show <plan id>`: read-only, open to the same people as `status` (Teams readers). The plan is
 * shown without its buttons: they belong to the approval card in the channel.
 */
export async function runTeamsRemediationCommand(
  text: string,
  actor: ChatActor,
  deps: Pick<TeamsBotDeps, 'config' | 'store' | 'clock' | 'remediation' | 'invocation'>,
): Promise<ChatMessage> {
  const usage = `usage: ${deps.invocation} audit [scope] · ${deps.invocation} remediate list [scope] · ${deps.invocation} remediate show <plan id>`;
  try {
    await authoriseCommand({ verb: 'status' }, actor, chatSettings(deps.config).access);
    const [verb, sub, arg, extra] = tokenizeCommand(text.trim());
    if (verb?.toLowerCase() === 'audit') {
      if (arg !== undefined) return ephemeral(usage);
      return auditMessage(await readAudit(deps.store, sub ? { scope: sub } : {}), sub);
    }
    const remediation = deps.remediation;
    if (!remediation) return ephemeral('Remediation is not set up on this bot.', 'error');
    if (sub === 'list' && extra === undefined)
      return planListMessage(await remediation.list(arg ? { scope: arg } : {}));
    if (sub === 'show' && arg && extra === undefined) {
      const plan = await remediation.show(arg);
      let approvers: string[] = [];
      try {
        approvers = policyFor(deps.config, plan.scope).approvers;
      } catch {
        // A policy removed since: show the plan without its approvers.
      }
      const now = deps.clock.now();
      const message = approvalMessage(plan, {
        now,
        timezone: chatSettings(deps.config).timezone,
        mention: teamsMention,
        approvers,
      });
      return {
        ...message,
        visibility: 'ephemeral',
        blocks: message.blocks.filter((b) => b.kind !== 'actions'),
      };
    }
    return ephemeral(usage);
  } catch (error) {
    if (error instanceof PermissionError && Array.isArray(error.details.reply))
      return ephemeral(error.details.reply as ChatInline[], 'error');
    return ephemeral(
      isDriftwatchError(error)
        ? describeError(error)
        : `Could not run that: unexpected error: ${describeError(error)}`,
      'error',
    );
  }
}
