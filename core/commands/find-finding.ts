import { UsageError } from '../errors.js';
import type { Finding, Report } from '../model/report.js';
import type { DriftStore } from '../store/drift-store.js';
import { DEFAULT_INVOCATION } from './command-usage.js';
import type { FindingRef } from './parse-command.js';

/** A finding and the report it came from. */
export interface FoundFinding {
  finding: Finding;
  report: Report;
  reportId: string;
  scope: string;
}

/**
 * Resolves a finding reference: in the pinned report when a button carries one, otherwise by
 * fingerprint prefix in the latest report of each scope (or of `ref.scope`).
 */
export async function findFinding(
  store: DriftStore,
  ref: FindingRef,
  invocation = DEFAULT_INVOCATION,
): Promise<FoundFinding> {
  const wanted = ref.fingerprint.toLowerCase();
  const candidates = ref.reportId ? [ref.reportId] : await latestReportIds(store, ref.scope);
  const matches: FoundFinding[] = [];
  for (const id of candidates) {
    const stored = await store.getReport(id);
    if (!stored) continue;
    for (const finding of stored.report.findings) {
      if (finding.fingerprint.toLowerCase().startsWith(wanted)) {
        matches.push({
          finding,
          report: stored.report,
          reportId: stored.ref.id,
          scope: stored.ref.scope,
        });
      }
    }
  }
  const [only, second] = matches;
  if (only && !second) return only;
  if (second) {
    throw new UsageError(
      'usage.ambiguous-finding',
      `finding id "${ref.fingerprint}" matches ${matches.length} findings; give more characters`,
    );
  }
  const where = ref.scope ? ` in the latest report of ${ref.scope}` : ' in the latest reports';
  throw new UsageError(
    'usage.unknown-finding',
    `no finding "${ref.fingerprint}"${where}; ${invocation} status <scope> lists current ids`,
  );
}

async function latestReportIds(store: DriftStore, scope?: string): Promise<string[]> {
  const refs = await store.listReports(scope ? { scope, limit: 1 } : {});
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const ref of refs) {
    const key = ref.scope.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    ids.push(ref.id);
  }
  return ids;
}
