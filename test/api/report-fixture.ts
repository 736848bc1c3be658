import type { ChangeKind, Finding, Report } from '../../core/model/report.js';
import { SEVERITIES, type Severity } from '../../core/model/severity.js';

/** One finding, with the fields a test names and plain values for the rest. */
export function findingFixture(
  fingerprint: string,
  overrides: Partial<Finding> & { severity?: Severity; change?: ChangeKind } = {},
): Finding {
  return {
    resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/${fingerprint}`,
    resourceType: 'Microsoft.Web/sites',
    resourceName: fingerprint,
    change: 'modified',
    severity: 'high',
    fingerprint,
    rule: 'rule-1',
    why: 'because',
    changes: [],
    ...overrides,
  };
}

/** A stored-report shape whose summary agrees with its findings. */
export function reportFixture(scope: string, at: string, findings: Finding[] = []): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byChange: Record<ChangeKind, number> = { added: 0, removed: 0, modified: 0, unknown: 0 };
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    byChange[f.change] += 1;
  }
  const maxSeverity = SEVERITIES.find((s) => bySeverity[s] > 0) ?? null;
  return {
    schemaVersion: 2,
    generatedAt: at,
    scope,
    baseline: { resources: 10, complete: true },
    current: { resources: 10, complete: true },
    complete: true,
    summary: {
      findings: findings.length,
      byChange,
      bySeverity,
      maxSeverity,
      suppressed: { total: 0, byRule: {} },
      accepted: 0,
    },
    findings,
  };
}
