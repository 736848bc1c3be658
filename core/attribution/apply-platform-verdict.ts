import { fingerprint } from '../engine/fingerprint.js';
import { summariseFindings } from '../engine/summarise-findings.js';
import type { Change, Finding, Report } from '../model/report.js';
import { maxSeverity, severityRank } from '../model/severity.js';
import type { ResourceChangeRecord } from './attribution-sources.js';

/** The suppression reason for changes Azure recorded as its own. */
export const AZURE_SYSTEM_CHANGE = 'azure-system-change';

/**
 * Azure's own word on noise: Resource Graph `resourcechanges` records, per changed property,
 * whether a user or the platform (`System`) made the change. A modified finding's change whose
 * property Azure recorded in the window as changed by the platform only (no `User` record for it)
 * is platform noise: it leaves the finding, is counted under `azure-system-change`, and is kept
 * in `report.platform` for `--all`. A finding left with no change moves there whole.
 *
 * Azure records array elements by index (`securityRules[0]`) and driftwatch by name or identity
 * (`securityRules[allow-ssh]`), so paths are compared with element selectors erased, and a record
 * on a property covers the properties under it (and the other way round).
 *
 * @example
 * const report2 = applyPlatformVerdict(report, changesByResourceId, { from, to });
 */
export function applyPlatformVerdict(
  report: Report,
  history: ReadonlyMap<string, readonly ResourceChangeRecord[]>,
  window: { from: Date; to: Date },
): Report {
  const kept: Finding[] = [];
  const platform: Finding[] = [...(report.platform ?? [])];
  let moved = 0;
  for (const finding of report.findings) {
    const verdicts = finding.change === 'modified' ? verdictsFor(finding, history, window) : [];
    if (verdicts.length === 0) {
      kept.push(finding);
      continue;
    }
    const own = finding.changes.filter((c) => !isSystemOnly(c.path, verdicts));
    const system = finding.changes.filter((c) => isSystemOnly(c.path, verdicts));
    if (system.length === 0) {
      kept.push(finding);
      continue;
    }
    moved += system.length;
    platform.push({ ...finding, ...headline(system), changes: system });
    if (own.length > 0)
      kept.push({
        ...finding,
        ...headline(own),
        changes: own,
        fingerprint: fingerprint(finding.resourceId, 'modified', own),
      });
  }
  if (moved === 0) return report;
  const suppressed = new Map(Object.entries(report.summary.suppressed.byRule));
  suppressed.set(AZURE_SYSTEM_CHANGE, (suppressed.get(AZURE_SYSTEM_CHANGE) ?? 0) + moved);
  return {
    ...report,
    summary: summariseFindings(kept, suppressed, report.summary.accepted),
    findings: kept,
    platform,
  };
}

interface Verdict {
  path: string;
  category: string;
}

function verdictsFor(
  finding: Finding,
  history: ReadonlyMap<string, readonly ResourceChangeRecord[]>,
  window: { from: Date; to: Date },
): Verdict[] {
  const records = history.get(finding.resourceId.toLowerCase()) ?? [];
  const out: Verdict[] = [];
  for (const record of records) {
    const at = Date.parse(record.changedAt);
    if (!(at >= window.from.getTime() && at <= window.to.getTime())) continue;
    for (const p of record.propertyChanges ?? [])
      if (p.category) out.push({ path: normalise(p.path), category: p.category });
  }
  return out;
}

/** Some record says System for this property, and none says anything else. */
function isSystemOnly(path: string, verdicts: readonly Verdict[]): boolean {
  const mine = normalise(path);
  const related = verdicts.filter((v) => covers(v.path, mine) || covers(mine, v.path));
  return related.length > 0 && related.every((v) => v.category === 'System');
}

/** `properties.securityRules[allow-ssh].x` → `properties.securityrules[].x`. */
function normalise(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '[]').toLowerCase();
}

function covers(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

function headline(changes: readonly Change[]): Pick<Finding, 'severity' | 'rule' | 'why'> {
  const top = [...changes].sort((a, b) => severityRank(b.severity) - severityRank(a.severity))[0];
  return {
    severity: maxSeverity(changes.map((c) => c.severity)) ?? 'info',
    rule: top?.rule ?? 'property-changed',
    why: top?.why ?? '',
  };
}
