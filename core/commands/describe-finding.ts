import { describeImpactLines } from '../impact/describe-impact.js';
import type { Change, Finding } from '../model/report.js';
import { severityRank } from '../model/severity.js';
import { describeValues } from '../report/format-value.js';

/** Characters of a finding's fingerprint shown as its id in chat (`show 7f3a12c4`). */
export const SHORT_ID_LENGTH = 8;

/** The id people type: the first characters of the fingerprint. */
export function shortFindingId(finding: Pick<Finding, 'fingerprint'>): string {
  return finding.fingerprint.slice(0, SHORT_ID_LENGTH);
}

/**
 * One headline and a few detail lines for a finding, as plain text.
 *
 * @example
 * describeFinding(finding).summary // 'SSH reachable from anywhere (10.10.0.4/32 → *)'
 */
export function describeFinding(finding: Finding): { summary: string; details: string[] } {
  const top = topChange(finding.changes);
  const details: string[] = [];
  let summary: string;
  if (finding.change === 'unknown') {
    summary = `could not be read${finding.reason ? `: ${finding.reason}` : ''}`;
  } else if (finding.change === 'added' || finding.change === 'removed') {
    summary = `${finding.change} (${finding.resourceType})${finding.why ? ` · ${finding.why}` : ''}`;
  } else if (top) {
    summary = `${top.why || finding.why} (${describeValues(top)})`;
    details.push(
      finding.changes.length > 1
        ? `${top.path} and ${finding.changes.length - 1} more change${finding.changes.length > 2 ? 's' : ''}`
        : top.path,
    );
  } else {
    summary = finding.why || 'modified';
  }
  if (finding.attribution) details.push(`changed by ${finding.attribution.summary}`);
  // What it touches and what it costs: the same lines as the terminal's.
  details.push(...describeImpactLines(finding));
  details.push(`id ${shortFindingId(finding)}`);
  return { summary, details };
}

/** The change that scored the finding: the most severe, first on ties. */
export function topChange(changes: readonly Change[]): Change | undefined {
  let best: Change | undefined;
  for (const c of changes)
    if (!best || severityRank(c.severity) > severityRank(best.severity)) best = c;
  return best;
}
