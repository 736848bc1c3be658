import { type ChatMessage, ephemeral } from '../commands/chat-message.js';
import { isDriftwatchError, StoreError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import type { Actor, RemediationPlan } from './remediation-plan.js';

// How a chat adapter answers a remediation decision that did not go through: the same rules in
// Slack and Teams, so they live here rather than in either adapter.

/**
 * The store could not be read before a decision: say what was not decided (fail closed). Any
 * other error is returned as it is.
 *
 * @example
 * throw failedClosed(error, 'approved');
 */
export function failedClosed(error: unknown, what: string): unknown {
  if (!isDriftwatchError(error) || error.code !== 'store.unavailable') return error;
  const cause = error.cause === undefined ? error.message : describeError(error.cause);
  return new StoreError(
    'store.unavailable',
    `the store cannot be reached, so nothing was ${what} (remediation fails closed): ${cause}`,
    { cause: error },
  );
}

/**
 * The same person's decision arriving again (double click, a chat's retry,
 * another replica): answered quietly, not as a refusal.
 */
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

/** A refusal or failure as the clicker reads it: only they see it, secrets redacted. */
export function refusalMessage(error: unknown): ChatMessage {
  if (!isDriftwatchError(error))
    return ephemeral(`Could not do that: unexpected error: ${describeError(error)}`, 'error');
  return ephemeral(`Not done: ${describeError(error)}`, 'error');
}
