import { type ChatInline, mentionGroup, mentionUser } from '../../core/commands/chat-message.js';
import type { DriftStore } from '../../core/store/drift-store.js';

/** Where a plan's approval message is, so any replica can update it in place. */
export interface ApprovalMessageRef {
  channel: string;
  ts: string;
}

const NAMESPACE = 'slack-approval-messages';
/** Kept a month: a plan expires within its policy's expiry, its message may be updated later (reconcile). */
const REF_TTL_MS = 30 * 86_400_000;

/** Records the approval message of a plan. */
export function saveApprovalMessageRef(
  store: DriftStore,
  planId: string,
  ref: ApprovalMessageRef,
): Promise<void> {
  return store.keyValue<ApprovalMessageRef>(NAMESPACE).set(planId, ref, REF_TTL_MS);
}

/** The approval message of a plan, when one was posted. */
export function approvalMessageRef(
  store: DriftStore,
  planId: string,
): Promise<ApprovalMessageRef | undefined> {
  return store.keyValue<ApprovalMessageRef>(NAMESPACE).get(planId);
}

/** Identities as Slack shows them: `slack:U…` and `slack-group:S…` as mentions, others as text. */
export function slackMention(identity: string): ChatInline {
  if (identity.startsWith('slack:')) return mentionUser(identity.slice('slack:'.length));
  if (identity.startsWith('slack-group:'))
    return mentionGroup(identity.slice('slack-group:'.length));
  return identity;
}
