import { judgeReport } from '../core/model/judge-report.js';
import type { Finding, Report } from '../core/model/report.js';
import { maxSeverity, type Severity } from '../core/model/severity.js';
import type { TaskResultName } from './task-host.js';

/** A message from task.json's `messages`, localised by the host. */
export interface LocMessage {
  key: string;
  args: Array<string | number>;
}

export interface GateDecision {
  result: TaskResultName;
  /** PASSED, FAILED, … for the summary's headline. */
  verdict: 'PASSED' | 'PASSED WITH ISSUES' | 'WARNING' | 'FAILED';
  /** Findings at or above the threshold: one `##[error]` (fail mode) or `##[warning]` line each. */
  above: Finding[];
  below: Finding[];
  messages: LocMessage[];
}

/**
 * Maps a check's report to the task result: drift at or above `failOn` fails (succeeds with
 * issues in warn mode), drift below it succeeds with issues, none succeeds — and an incomplete
 * collection never yields Succeeded, whatever it found. Same judgement ({@link judgeReport}) as
 * the CLI's exit codes: drift 2 → Failed, incomplete 3 → SucceededWithIssues, clean 0 → Succeeded.
 */
export function decideGateResult(
  report: Report,
  options: { failOn: Severity; mode: 'fail' | 'warn'; unreadable: readonly string[] },
): GateDecision {
  // Unknown resources are not drift: they make the run incomplete, which is reported on its own.
  const { above, below } = judgeReport(report, options.failOn);
  const drift = [...above, ...below];
  const scope = report.scope ?? 'default';
  const top = maxSeverity(drift.map((f) => f.severity)) ?? 'none';
  const messages: LocMessage[] = [];
  let result: TaskResultName = 'Succeeded';
  let verdict: GateDecision['verdict'] = 'PASSED';
  if (above.length > 0) {
    messages.push({ key: 'GateDriftAbove', args: [above.length, options.failOn, scope, top] });
    if (options.mode === 'fail') {
      result = 'Failed';
      verdict = 'FAILED';
    } else {
      messages.push({ key: 'GateWarnOnly', args: [] });
      result = 'SucceededWithIssues';
      verdict = 'WARNING';
    }
  } else if (below.length > 0) {
    messages.push({ key: 'GateDriftBelow', args: [below.length, options.failOn, scope, top] });
    result = 'SucceededWithIssues';
    verdict = 'PASSED WITH ISSUES';
  } else {
    messages.push({ key: 'GateNoDrift', args: [scope, report.current.resources] });
  }
  if (!report.complete) {
    messages.push({ key: 'GateIncomplete', args: [describeUnreadable(options.unreadable)] });
    if (result === 'Succeeded') {
      result = 'SucceededWithIssues';
      verdict = 'PASSED WITH ISSUES';
    }
  }
  return { result, verdict, above, below, messages };
}

/** At most five unreadable scopes by name, then a count. */
export function describeUnreadable(unreadable: readonly string[]): string {
  if (unreadable.length === 0) return 'some resources (see the report)';
  const shown = unreadable.slice(0, 5).join('; ');
  return unreadable.length > 5 ? `${shown}; and ${unreadable.length - 5} more` : shown;
}

/** Findings that are drift: added, removed or modified resources (not the unreadable ones). */
export function driftFindings(report: Report): Finding[] {
  return report.findings.filter((f) => f.change !== 'unknown');
}
