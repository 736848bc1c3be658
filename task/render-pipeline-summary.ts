import type { Finding, Report } from '../core/model/report.js';
import { maxSeverity } from '../core/model/severity.js';
import { redactSecrets } from '../core/redact/redact-secrets.js';
import { mdCode, mdText } from '../core/report/escape-markdown.js';
import { describeValues } from '../core/report/format-value.js';
import { sanitiseReport } from '../core/secrets/sanitise-report.js';
import type { GateDecision } from './decide-gate-result.js';

/** Rows in the run's summary table; the rest are in the attached reports. */
const MAX_ROWS = 50;

export interface SummaryInput {
  report: Report;
  decision: GateDecision;
  failOn: string;
  /** How the baseline came to be: `recorded by pipeline "api-deploy", run 4411 (commit 9e1c2f0)`. */
  baseline: string;
  unreadable: readonly string[];
  /** The signed URL of the report's page on the bot (made by signReportLink). */
  reportLink?: string;
}

/**
 * The Markdown a check uploads to the run's Extensions tab (`##vso[task.uploadsummary]`): the
 * verdict first, then one row per finding with its fingerprint, most severe first, then the
 * baseline and what to do. Values pass the secret sanitiser and core's Markdown escaper (the same
 * as `driftwatch report --format md`), so Azure data cannot add links, HTML or cells.
 */
export function renderPipelineSummary(input: SummaryInput): string {
  const { decision } = input;
  const report = sanitiseReport(input.report);
  const scope = mdText(report.scope ?? 'default');
  const lines = [`## Drift gate: ${decision.verdict} — ${headline(input)} in scope ${scope}`, ''];
  if (report.findings.length > 0) {
    lines.push(
      '| Severity | Resource | Change | Who / what | Fingerprint |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const finding of report.findings.slice(0, MAX_ROWS)) lines.push(row(finding));
    if (report.findings.length > MAX_ROWS) {
      lines.push(
        '',
        `… and ${report.findings.length - MAX_ROWS} more findings in the attached reports.`,
      );
    }
    lines.push('');
  }
  const unknown = report.summary.byChange.unknown;
  const facts = [
    `Baseline: ${mdText(input.baseline)}`,
    `${report.current.resources.toLocaleString('en-US')} resources`,
    `${unknown} unknown`,
  ];
  if (report.summary.suppressed.total > 0)
    facts.push(
      `${report.summary.suppressed.total.toLocaleString('en-US')} platform changes suppressed`,
    );
  lines.push(facts.join(' · '));
  if (!report.complete) {
    lines.push(
      '',
      `**Incomplete:** not readable: ${input.unreadable.map(cell).join('; ') || 'see the report'}. This run cannot pass cleanly.`,
    );
  }
  if (decision.above.length > 0) {
    lines.push(
      '',
      'What to do: revert the change in Azure and run the pipeline again, or accept the drift with `driftwatch accept <fingerprint>` (fingerprints are in the table and the JSON report).',
    );
  }
  // The link is added after the sanitiser, which would mask its token; it is ours, not Azure's
  // (an http(s) address checked when the inputs were read, and a base64url token).
  const link = input.reportLink ? `\n[View full report](${input.reportLink})\n` : '';
  return `${redactSecrets(lines.join('\n'))}\n${link}`;
}

function headline({ decision, failOn }: SummaryInput): string {
  const [findings, where] =
    decision.above.length > 0
      ? [decision.above, `at or above \`${failOn}\``]
      : [decision.below, `below \`${failOn}\``];
  const worst = maxSeverity(findings.map((f) => f.severity));
  if (!worst) return 'no drift';
  return findings.length === 1
    ? `1 ${worst} finding ${where}`
    : `${findings.length} findings ${where} (most severe ${worst})`;
}

function row(finding: Finding): string {
  return `| ${finding.severity} | ${cell(finding.resourceName)} | ${cell(describeChange(finding))} | ${cell(who(finding))} | ${mdCode(finding.fingerprint)} |`;
}

/** Who or what changed it; an attribution that knows nothing shows as a dash. */
export function who(finding: Finding): string {
  const attribution = finding.attribution;
  return attribution && attribution.kind !== 'unknown' ? attribution.summary : '—';
}

function describeChange(finding: Finding): string {
  if (finding.change === 'added') return `added (${finding.resourceType})`;
  if (finding.change === 'removed') return `removed (${finding.resourceType})`;
  if (finding.change === 'unknown') {
    // The row already names the resource; collector messages repeat its id.
    const reason = finding.reason
      ?.split(`${finding.resourceId}: `)
      .join('')
      .split(` on ${finding.resourceId}`)
      .join('');
    return `not readable${reason ? `: ${reason}` : ''}`;
  }
  const [first, ...rest] = finding.changes;
  if (!first) return finding.why;
  const text = `${first.path} ${describeValues(first, 80)}`;
  return rest.length > 0 ? `${text} (+${rest.length} more)` : text;
}

/** A table cell: core's Markdown escaper, after the secret sanitiser. */
function cell(text: string): string {
  return mdText(redactSecrets(text));
}
