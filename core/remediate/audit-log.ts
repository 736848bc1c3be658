import type { Strategy } from '../config/sections/remediation-config.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import type { DriftStore } from '../store/drift-store.js';
import type { PlannedRequest, PlanState } from './remediation-plan.js';

/** The store's append-only log of remediation events. */
export const AUDIT_LOG = 'remediation-audit';

export const AUDIT_ACTIONS = [
  'request',
  'approve',
  'reject',
  'cancel',
  'expire',
  'refuse',
  'apply',
  'stale',
  'write',
  'verify',
  'reconcile',
  'accept',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit entry: who did what to which plan, when, with what result and the exact requests. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: AuditAction;
  planId: string;
  scope: string;
  strategy: Strategy;
  /** The plan's state after the event. */
  state: PlanState;
  result: 'ok' | 'refused' | 'failed';
  message?: string;
  requests?: PlannedRequest[];
}

/** Replaces anything that still looks like a secret before it is kept (bodies never hold one). */
function scrub(entry: AuditEntry): AuditEntry {
  try {
    return JSON.parse(redactSecrets(JSON.stringify(entry))) as AuditEntry;
  } catch {
    // A mask that broke the JSON: keep the facts, drop the bodies rather than risk a secret.
    const { requests: _dropped, ...rest } = entry;
    return { ...rest, message: redactSecrets(entry.message ?? '') };
  }
}

/**
 * Appends to the audit log. Entries pass the secret sanitiser: request bodies are built without
 * secrets, and a secret that slipped through (a marker, a registered value, a key pattern) is
 * replaced before anything is stored.
 */
export async function appendAudit(store: DriftStore, entry: AuditEntry): Promise<void> {
  await store.appendLog<AuditEntry>(AUDIT_LOG).append(scrub(entry));
}

/** The audit log, oldest first, optionally one scope's or one plan's. */
export async function readAudit(
  store: DriftStore,
  filter: { scope?: string; planId?: string } = {},
): Promise<AuditEntry[]> {
  const entries = (await store.appendLog<AuditEntry>(AUDIT_LOG).list()).reverse();
  return entries.filter(
    (e) =>
      (!filter.scope || e.scope.toLowerCase() === filter.scope.toLowerCase()) &&
      (!filter.planId || e.planId === filter.planId),
  );
}
