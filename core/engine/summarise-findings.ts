import type { ChangeKind, Finding, ReportSummary } from '../model/report.js';
import { maxSeverity, SEVERITIES, type Severity } from '../model/severity.js';

/**
 * The report summary for a list of findings: counts by change and severity, the worst severity of
 * drift (unknown excluded), what was suppressed by rule, and how many were accepted.
 *
 * @example
 * const summary = summariseFindings(findings, new Map([['etag', 12]]), 0);
 */
export function summariseFindings(
  findings: Finding[],
  suppressed: Map<string, number>,
  accepted: number,
): ReportSummary {
  const byChange: Record<ChangeKind, number> = { added: 0, removed: 0, modified: 0, unknown: 0 };
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byChange[f.change] += 1;
    bySeverity[f.severity] += 1;
  }
  const byRule = Object.fromEntries(
    [...suppressed.entries()].sort(([a], [b]) => a.localeCompare(b)),
  );
  const total = [...suppressed.values()].reduce((a, b) => a + b, 0);
  return {
    findings: findings.length,
    byChange,
    bySeverity,
    maxSeverity:
      maxSeverity(findings.filter((f) => f.change !== 'unknown').map((f) => f.severity)) ?? null,
    suppressed: { total, byRule },
    accepted,
  };
}
