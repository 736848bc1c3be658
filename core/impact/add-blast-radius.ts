import { DEFAULT_IMPACT_CONFIG, type ImpactConfig } from '../config/sections/impact-config.js';
import { byImportance } from '../engine/by-importance.js';
import { summariseFindings } from '../engine/summarise-findings.js';
import type { Finding, Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import { severityRank } from '../model/severity.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { buildDependencyGraph } from './build-dependency-graph.js';
import type { DependencyGraph } from './dependency-graph.js';
import { findBlastRadius } from './find-blast-radius.js';
import { raiseFor } from './impact-raise-rules.js';

/** Options of {@link addBlastRadius}. */
export interface BlastRadiusOptions {
  /** The current snapshot (before secret protection, so Key Vault references are seen). */
  current: Pick<Snapshot, 'resources'>;
  /** The baseline, for the radius of removed resources (what they used to serve). */
  baseline?: Pick<Snapshot, 'resources'>;
  config?: ImpactConfig | undefined;
  /** An already built graph of `current` (the bench, a host that keeps one). */
  graph?: DependencyGraph;
}

/**
 * Adds each drift finding's blast radius (`impact`) from the snapshot's dependency graph and
 * applies the documented raise rules: a severity may go up one step (recorded as
 * `impact.raisedBy`), never down. Removed resources are looked up in the baseline's graph, built
 * only when there is one. The summary is recounted and findings re-sorted when a severity rose.
 * Returns a new report; `config.enabled: false` returns the report as it is.
 *
 * @example
 * const report = addBlastRadius(compareSnapshots(baseline, current, opts), { current: rawCurrent, baseline: rawBaseline });
 */
export function addBlastRadius(report: Report, options: BlastRadiusOptions): Report {
  const config = options.config ?? DEFAULT_IMPACT_CONFIG;
  if (!config.enabled || report.findings.length === 0) return report;
  const current = options.graph ?? buildDependencyGraph(options.current);
  let before: DependencyGraph | undefined;
  const baselineGraph = () => {
    before ??= options.baseline ? buildDependencyGraph(options.baseline) : undefined;
    return before;
  };
  // Names repeat across findings' radii: each passes the secret sanitiser once.
  const names = new Map<string, string>();
  const shown = (name: string) => {
    let safe = names.get(name);
    if (safe === undefined) {
      safe = redactSecrets(name);
      names.set(name, safe);
    }
    return safe;
  };
  let raised = false;
  const findings = report.findings.map((f): Finding => {
    if (f.change === 'unknown') return f;
    const graph = f.change === 'removed' ? baselineGraph() : current;
    const impact = graph
      ? findBlastRadius(graph, f.resourceId, {
          maxHops: config.maxHops,
          production: config.production,
        })
      : undefined;
    if (!impact) return f;
    for (const entry of impact.radius) {
      entry.name = shown(entry.name);
      entry.id = shown(entry.id);
      if (entry.from !== undefined) entry.from = shown(entry.from);
    }
    const out: Finding = { ...f, impact };
    const raise = config.raiseSeverity ? raiseFor(f.severity, impact) : undefined;
    if (raise && severityRank(raise.to) > severityRank(f.severity)) {
      impact.raisedBy = raise;
      out.severity = raise.to;
      raised = true;
    }
    return out;
  });
  if (!raised) return { ...report, findings };
  findings.sort(byImportance);
  // Only the severity counts change; every other summary field (suppressed, accepted, cost…) stays.
  const recount = summariseFindings(findings, new Map(), report.summary.accepted);
  return {
    ...report,
    findings,
    summary: {
      ...report.summary,
      findings: recount.findings,
      byChange: recount.byChange,
      bySeverity: recount.bySeverity,
      maxSeverity: recount.maxSeverity,
    },
  };
}
