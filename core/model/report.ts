import type { Severity } from './severity.js';

/** What happened to a resource between baseline and current. */
export type ChangeKind = 'added' | 'removed' | 'modified' | 'unknown';

/** One changed value inside a modified resource. */
export interface Change {
  /** Dot path; named array elements in brackets: `properties.securityRules[allow-ssh].properties.access`. */
  path: string;
  before: unknown;
  after: unknown;
  severity: Severity;
  /** Id of the severity rule that scored this change. */
  rule: string;
  /** Why the rule scores it so, in one sentence. */
  why: string;
  /** The values are (or hold) a secret: shown hidden, as "changed (secret, value hidden)". */
  secret?: true;
}

/** Who or what most likely caused a finding. */
export interface Attribution {
  kind: 'deployment' | 'actor' | 'manual' | 'unknown';
  /** One line a person reads: `pipeline "api-deploy" run 4420` or `ops@contoso.com via Azure Portal`. */
  summary: string;
  actor?: string;
  clientType?: string;
  operation?: string;
  at?: string;
  run?: { pipeline?: string; id?: string; url?: string; environment?: string };
}

/** One drifted resource. */
export interface Finding {
  resourceId: string;
  resourceType: string;
  resourceName: string;
  change: ChangeKind;
  severity: Severity;
  /** Stable across runs for the same drift; used to notify only on new drift and to accept it. */
  fingerprint: string;
  /** Rule that scored the finding itself (added/removed/unknown), or the top change's rule. */
  rule: string;
  why: string;
  changes: Change[];
  /** For `unknown`: why the resource could not be read. */
  reason?: string;
  attribution?: Attribution;
}

/** Descriptive facts about one side of a comparison. */
export interface SnapshotSummary {
  resources: number;
  collectedAt?: string;
  source?: string;
  complete: boolean;
  label?: string;
}

/** Counts for the report header and for chat summaries. */
export interface ReportSummary {
  findings: number;
  byChange: Record<ChangeKind, number>;
  bySeverity: Record<Severity, number>;
  maxSeverity: Severity | null;
  /** Platform noise (etag, provisioningState, timestamps…) and ignored drift, counted not listed. */
  suppressed: { total: number; byRule: Record<string, number> };
  /** Findings accepted by a person (`driftwatch accept`), counted not listed. */
  accepted: number;
}

/** The JSON report, schema version 1 (documented in README). */
export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  scope?: string;
  baseline: SnapshotSummary;
  current: SnapshotSummary;
  /** False when the current snapshot could not read everything; never treat as all-clear. */
  complete: boolean;
  summary: ReportSummary;
  /**
   * Changes Azure itself recorded as made by the platform (`resourcechanges` category `System`),
   * kept out of `findings` and counted in `summary.suppressed` as `azure-system-change`. Present
   * only when attribution read Azure's change history; shown with `--all`.
   */
  platform?: Finding[];
  findings: Finding[];
}
