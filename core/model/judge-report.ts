import type { Finding, Report } from './report.js';
import { atOrAbove, type Severity } from './severity.js';

/**
 * What a report means for a gate, in priority order: drift at or above the threshold, then an
 * incomplete collection (part of the scope could not be read: never an all-clear), then drift
 * below the threshold, then clean. The CLI maps these to exit codes 2, 3, 0 (with a note) and 0;
 * the pipeline task to Failed, SucceededWithIssues, SucceededWithIssues and Succeeded.
 */
export type ReportOutcome = 'drift' | 'incomplete' | 'drift-below' | 'clean';

export interface ReportJudgement {
  outcome: ReportOutcome;
  /** Drift (added, removed, modified — never `unknown`) at or above the threshold. */
  above: Finding[];
  below: Finding[];
}

/**
 * Judges a report against a `--fail-on` threshold. Unknown resources are not drift: they make the
 * report incomplete, which is its own outcome.
 *
 * @example
 * judgeReport(report, 'high').outcome // 'incomplete' when nothing high drifted but a part was unreadable
 */
export function judgeReport(report: Report, failOn: Severity): ReportJudgement {
  const drift = report.findings.filter((f) => f.change !== 'unknown');
  const above = drift.filter((f) => atOrAbove(f.severity, failOn));
  const below = drift.filter((f) => !atOrAbove(f.severity, failOn));
  const outcome: ReportOutcome =
    above.length > 0
      ? 'drift'
      : !report.complete
        ? 'incomplete'
        : below.length > 0
          ? 'drift-below'
          : 'clean';
  return { outcome, above, below };
}
