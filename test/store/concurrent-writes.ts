import type { Report } from '../../core/model/report.js';
import type { Snapshot } from '../../core/model/resource.js';
import type { Retention } from '../../core/store/keyv-drift-store.js';

/** Separate processes writing at once in the multi-process store test. */
export const WORKERS = 8;
/** Of each kind (reports, baselines, acceptances, ignore rules, subscriptions, counter updates). */
export const PER_WORKER = 3;
/** Room for every report; baseline history trimmed well below what the workers write. */
export const RETENTION: Retention = { reportsPerScope: 1_000, baselinesPerScope: 5 };

/** Worker `w`'s `i`-th report: one finding whose fingerprint says who wrote it. */
export function concurrentReport(w: number, i: number): Report {
  return {
    schemaVersion: 1,
    generatedAt: '2026-11-21T10:00:00Z',
    scope: 'prod',
    baseline: { resources: 1, complete: true },
    current: { resources: 1, complete: true },
    complete: true,
    summary: {
      findings: 1,
      byChange: { added: 0, removed: 0, modified: 1, unknown: 0 },
      bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
      maxSeverity: 'high',
      suppressed: { total: 0, byRule: {} },
      accepted: 0,
    },
    findings: [
      {
        resourceId: '/x',
        resourceType: 't',
        resourceName: 'x',
        change: 'modified',
        severity: 'high',
        fingerprint: `w${w}-report-${i}`,
        rule: 'r',
        why: 'w',
        changes: [],
      },
    ],
  };
}

/** Worker `w`'s `i`-th baseline snapshot: its resource names say who wrote it. */
export function concurrentSnapshot(w: number, i: number): Snapshot {
  return {
    schemaVersion: 1,
    complete: true,
    collectedAt: '2026-11-21T09:00:00Z',
    resources: [
      { id: `/subscriptions/s/resourceGroups/rg/providers/T/w${w}-${i}`, name: `w${w}-${i}` },
    ],
    errors: [],
  };
}
