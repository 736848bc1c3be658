import { randomBytes } from 'node:crypto';
import type { Strategy } from '../config/sections/remediation-config.js';
import type { DriftStore } from '../store/drift-store.js';

/** What a preview's buttons refer to: findings of a scope, a strategy, and who asked. */
export interface RemediationTarget {
  scope: string;
  findings: string[];
  strategy: Strategy;
  /** Identity of the person who opened the preview (`slack:U…`). */
  requester: string;
}

/** A preview's buttons work for a day (a plan's own expiry starts when it is requested). */
const TARGET_TTL_MS = 86_400_000;
const NAMESPACE = 'remediation-targets';

/**
 * Stores a preview's target under a short random id for its buttons to carry (button values hold
 * no data a user could tamper with).
 *
 * @example
 * const id = await saveRemediationTarget(store, { scope: 'prod', findings: [fp], strategy: 'revert', requester: 'slack:U1' });
 */
export async function saveRemediationTarget(
  store: DriftStore,
  target: RemediationTarget,
  newId: () => string = () => randomBytes(9).toString('base64url'),
): Promise<string> {
  const id = newId();
  await store.keyValue<RemediationTarget>(NAMESPACE).set(id, target, TARGET_TTL_MS);
  return id;
}

/** The target behind a preview button, or undefined when it expired or never existed. */
export function loadRemediationTarget(
  store: DriftStore,
  id: string,
): Promise<RemediationTarget | undefined> {
  return store.keyValue<RemediationTarget>(NAMESPACE).get(id);
}
