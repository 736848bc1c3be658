import type { ChangeKind, Finding } from '../model/report.js';
import { severityRank } from '../model/severity.js';

const CHANGE_ORDER: Record<ChangeKind, number> = { removed: 0, modified: 1, added: 2, unknown: 3 };

/**
 * The report's order: worst severity first, then removed, modified, added, unknown, then by
 * name and id, so two runs list the same findings the same way.
 *
 * @example
 * findings.sort(byImportance)
 */
export function byImportance(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] ||
    a.resourceName.localeCompare(b.resourceName) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}
