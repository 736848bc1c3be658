import type { Report } from '../../model/report.js';
import type { ReportTrend, TrendPoint } from './report-page-input.js';

const HOUR_MS = 3_600_000;

/**
 * The trend of a scope from its stored reports, oldest first: per scan the findings by severity,
 * the drift new since the previous scan and the drift it no longer finds (by fingerprint), the
 * unknown count, and the mean time to resolve (from the first scan in the window that found a
 * fingerprint to the first that no longer did). Unknown resources are counted, never "resolved":
 * a resource that could not be read says nothing about its drift.
 *
 * @example
 * buildReportTrend('prod', [{ id: 'a1', report: older }, { id: 'b2', report: newer }]).points.length // 2
 */
export function buildReportTrend(
  scope: string,
  reports: ReadonlyArray<{ id: string; report: Report }>,
): ReportTrend {
  const ordered = [...reports].sort(
    (a, b) => Date.parse(a.report.generatedAt) - Date.parse(b.report.generatedAt),
  );
  const firstSeen = new Map<string, number>();
  let previous: Map<string, string> | undefined;
  let resolvedTotal = 0;
  let resolvedHours = 0;
  const points: TrendPoint[] = ordered.map(({ id, report }) => {
    const at = Date.parse(report.generatedAt);
    // Fingerprint → resource id of the drift this scan found.
    const drift = new Map(
      report.findings
        .filter((f) => f.change !== 'unknown')
        .map((f) => [f.fingerprint, f.resourceId.toLowerCase()]),
    );
    const unreadable = new Set(
      report.findings.filter((f) => f.change === 'unknown').map((f) => f.resourceId.toLowerCase()),
    );
    for (const fp of drift.keys()) if (!firstSeen.has(fp)) firstSeen.set(fp, at);
    // Drift on a resource this scan could not read is still open, not resolved.
    for (const [fp, id] of previous ?? [])
      if (unreadable.has(id) && !drift.has(fp)) drift.set(fp, id);
    let newFindings: number | null = null;
    let resolved: number | null = null;
    let hours = 0;
    if (previous) {
      newFindings = [...drift.keys()].filter((fp) => !previous?.has(fp)).length;
      const gone = [...previous.keys()].filter((fp) => !drift.has(fp));
      resolved = gone.length;
      for (const fp of gone) {
        hours += (at - (firstSeen.get(fp) ?? at)) / HOUR_MS;
        firstSeen.delete(fp);
      }
      resolvedTotal += gone.length;
      resolvedHours += hours;
    }
    previous = drift;
    return {
      reportId: id,
      at: report.generatedAt,
      findings: report.summary.findings,
      bySeverity: { ...report.summary.bySeverity },
      newFindings,
      resolved,
      unknown: Math.max(report.summary.byChange.unknown, unreadable.size),
      meanHoursToResolve: resolved ? round(hours / resolved) : null,
    };
  });
  return {
    scope,
    points,
    meanHoursToResolve: resolvedTotal > 0 ? round(resolvedHours / resolvedTotal) : null,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
