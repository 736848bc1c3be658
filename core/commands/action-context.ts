import { randomBytes } from 'node:crypto';
import type { DriftStore } from '../store/drift-store.js';

/** What a finding's buttons refer to; stored under a short random id the buttons carry. */
export interface ActionContext {
  scope: string;
  fingerprint: string;
  reportId: string;
}

/** Buttons stay usable for 30 days; after that a click says the summary is too old. */
export const ACTION_TTL_MS = 30 * 86_400_000;
const NAMESPACE = 'actions';

/**
 * Stores an action context and returns its opaque id (12 url-safe characters), so button values
 * carry no data a user could tamper with or that could outgrow Slack's 2,000-character limit.
 *
 * @example
 * const id = await saveActionContext(store, { scope: 'prod', fingerprint, reportId });
 */
export async function saveActionContext(
  store: DriftStore,
  context: ActionContext,
  newId: () => string = () => randomBytes(9).toString('base64url'),
): Promise<string> {
  const id = newId();
  await store.keyValue<ActionContext>(NAMESPACE).set(id, context, ACTION_TTL_MS);
  return id;
}

/** The context behind a button's id, or undefined when it expired or never existed. */
export function loadActionContext(
  store: DriftStore,
  id: string,
): Promise<ActionContext | undefined> {
  return store.keyValue<ActionContext>(NAMESPACE).get(id);
}
