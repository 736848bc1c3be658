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
  /** What the drifted resource touches (issue 15); present when impact was computed. */
  impact?: FindingImpact;
  /** Monthly list-price delta of the change; present when cost was estimated. */
  cost?: FindingCost;
}

/** One resource in a finding's blast radius. */
export interface RadiusEntry {
  id: string;
  name: string;
  type: string;
  /** Hops from the drifted resource (1 = references it directly). */
  hops: number;
  /** Property path of the reference that reached it (`properties.ipConfigurations[].properties.subnet.id`). */
  via: string;
  /** Id of the resource it references on the way (the drifted resource for hop 1); for graphs. */
  from?: string;
  internetFacing?: true;
  production?: true;
}

/** A severity raised by an impact rule; impact never lowers a severity. */
export interface SeverityRaise {
  rule: string;
  from: Severity;
  to: Severity;
  why: string;
}

/** The blast radius of a finding: resources reachable within a few hops that depend on it. */
export interface FindingImpact {
  /** Nearest first; at most 100 entries (`omitted` counts the rest). */
  radius: RadiusEntry[];
  omitted?: number;
  /** How many of the listed resources are internet-facing (see README "Impact"). */
  internetFacing: number;
  /** How many of the listed resources are production-tagged. */
  production: number;
  /** True when the drifted resource itself is internet-facing (a public IP, a public app). */
  selfInternetFacing?: true;
  raisedBy?: SeverityRaise;
}

/**
 * Monthly cost delta of a finding at list price (pay-as-you-go, Retail Prices API): no
 * reservations, savings plans or negotiated prices. `monthlyDelta` is absent when unknown, never 0
 * for "unknown".
 */
export interface FindingCost {
  status: 'priced' | 'unknown' | 'per-unit';
  currency: string;
  monthlyBefore?: number;
  monthlyAfter?: number;
  monthlyDelta?: number;
  /** For `per-unit` (storage priced per GB stored): the rate delta and its unit. */
  unitDelta?: number;
  unit?: string;
  /** What was priced: `Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope)`. */
  what: string;
  /** Why the price is unknown or per unit. */
  reason?: string;
}

/** Sum of the findings' priced deltas; unknown prices are counted, never added as zero. */
export interface CostSummary {
  currency: string;
  monthlyDelta: number;
  priced: number;
  unpriced: number;
  perUnit: number;
  basis: string;
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
  /** Monthly cost delta at list price, when cost was estimated (issue 15). */
  cost?: CostSummary;
}

/**
 * The JSON report (documented in README). Version 2 names elements of arrays without a name or id
 * by their identity or content (`accessPolicies[objectId=…]`, `ipRules[value=…]`, `list[#1a2b3c4d]`)
 * where version 1 used their index; stored version-1 reports are still read as they are.
 */
export interface Report {
  schemaVersion: 1 | 2;
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
