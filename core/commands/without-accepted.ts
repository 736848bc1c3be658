import type { ChangeKind, Report } from '../model/report.js';
import { maxSeverity, SEVERITIES, type Severity } from '../model/severity.js';
import type { AcceptedDrift } from '../store/drift-store.js';

/**
 * A stored report as it reads now: findings accepted since it was saved are counted as accepted
 * instead of listed (the engine does the same for reports made after the accept), so `status`
 * never offers buttons on drift someone already declared expected.
 *
 * @example
 * const current = withoutAccepted(stored.report, await store.listAccepted('prod'));
 */
export function withoutAccepted(report: Report, accepted: readonly AcceptedDrift[]): Report {
  const fingerprints = new Set(accepted.map((a) => a.fingerprint));
  const findings = report.findings.filter((f) => !fingerprints.has(f.fingerprint));
  const removed = report.findings.length - findings.length;
  if (removed === 0) return report;
  const byChange: Record<ChangeKind, number> = { added: 0, removed: 0, modified: 0, unknown: 0 };
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byChange[f.change] += 1;
    bySeverity[f.severity] += 1;
  }
  return {
    ...report,
    findings,
    summary: {
      ...report.summary,
      findings: findings.length,
      byChange,
      bySeverity,
      // As the engine computes it: unreadable resources are not drift.
      maxSeverity:
        maxSeverity(findings.filter((f) => f.change !== 'unknown').map((f) => f.severity)) ?? null,
      accepted: report.summary.accepted + removed,
    },
  };
}
