import type { Clock } from '../clock.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { RemediationPlan } from '../remediate/remediation-plan.js';
import { policyFor } from '../remediate/remediation-policy.js';
import type { ChatMessage } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import { approvalMessage, type MentionOf } from './render-remediation.js';

/**
 * The approval message of a plan as it stands now: its state, the scope policy's approvers and
 * times in the chat's time zone, people named with the chat's `mention`. Every chat renders
 * the result its own way (Block Kit, Adaptive Card).
 *
 * @example
 * const message = approvalMessageNow(plan, { config, clock, mention: slackMention });
 */
export function approvalMessageNow(
  plan: RemediationPlan,
  deps: { config: DriftwatchConfig; clock: Clock; mention: MentionOf },
): ChatMessage {
  let approvers: string[] = [];
  try {
    approvers = policyFor(deps.config, plan.scope).approvers;
  } catch {
    // The policy was removed after the plan was made: render without the approvers line.
  }
  return approvalMessage(plan, {
    now: deps.clock.now(),
    timezone: chatSettings(deps.config).timezone,
    mention: deps.mention,
    approvers,
  });
}
