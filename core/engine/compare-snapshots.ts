import type { Clock } from '../clock.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import type { AcceptedDrift } from '../store/drift-store.js';
import type { EngineRules } from './engine-rules.js';

export interface CompareOptions {
  scope?: string;
  rules?: EngineRules;
  /** Accepted fingerprints are counted in the summary instead of listed. */
  accepted?: readonly AcceptedDrift[];
  clock?: Clock;
  /** How the baseline is described in reports (e.g. "pipeline run 4411"). */
  baselineLabel?: string;
}

/**
 * Compares a baseline snapshot with a current one and returns the drift report.
 * (Stub: the engine work replaces the body; the signature is the contract.)
 */
export function compareSnapshots(
  baseline: Snapshot,
  current: Snapshot,
  options: CompareOptions = {},
): Report {
  const now = (options.clock?.now() ?? new Date()).toISOString();
  return {
    schemaVersion: 1,
    generatedAt: now,
    ...(options.scope ? { scope: options.scope } : {}),
    baseline: { resources: baseline.resources.length, complete: baseline.complete },
    current: { resources: current.resources.length, complete: current.complete },
    complete: current.complete,
    summary: {
      findings: 0,
      byChange: { added: 0, removed: 0, modified: 0, unknown: 0 },
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      maxSeverity: null,
      suppressed: { total: 0, byRule: {} },
      accepted: 0,
    },
    findings: [],
  };
}
