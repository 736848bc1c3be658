import { type ChatMessage, ephemeral } from '../../core/commands/chat-message.js';
import { isDriftwatchError, StoreError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import type { Actor, RemediationPlan } from '../../core/remediate/remediation-plan.js';

// The same rules as the Slack adapter's (bot/slack/remediation-refusals.ts); adapters do not import
// each other, and these read only core types.

/** The store could not be read before a decision: say what was not decided (fail closed). */
export function failedClosed(error: unknown, what: string): unknown {
  if (!isDriftwatchError(error) || error.code !== 'store.unavailable') return error;
  const cause = error.cause === undefined ? error.message : describeError(error.cause);
  return new StoreError(
    'store.unavailable',
    `the store cannot be reached, so nothing was ${what} (remediation fails closed): ${cause}`,
    { cause: error },
  );
}

/** The same person's decision arriving again (double click, a retry, another replica). */
export function isRepeat(
  error: unknown,
  plan: RemediationPlan,
  actor: Actor,
  verdict: string,
): boolean {
  if (!isDriftwatchError(error)) return false;
  if (error.code !== 'remediation.already-decided' && error.code !== 'remediation.not-pending')
    return false;
  return plan.decisions.some(
    (d) => d.by.toLowerCase() === actor.id.toLowerCase() && d.verdict === verdict,
  );
}

/** A refusal or failure as the clicker reads it. */
export function refusal(error: unknown): ChatMessage {
  if (!isDriftwatchError(error))
    return ephemeral(`Could not do that: unexpected error: ${describeError(error)}`, 'error');
  return ephemeral(`Not done: ${describeError(error)}`, 'error');
}
