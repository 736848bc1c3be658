import { createHash } from 'node:crypto';
import type { ChangeKind } from '../model/report.js';

/**
 * A finding's fingerprint: stable across runs for the same drift (same resource, same kind, same
 * changed paths with the same new values), different as soon as the drift itself changes.
 */
export function fingerprint(
  resourceId: string,
  change: ChangeKind,
  changes: readonly { path: string; after: unknown }[] = [],
): string {
  const hash = createHash('sha256').update(`${resourceId.toLowerCase()}\n${change}`);
  for (const c of [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`\n${c.path}=${stableStringify(c.after)}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
