import { describeCostSummary, describeImpactLines } from '../impact/describe-impact.js';
import type { Finding, Report } from '../model/report.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { mdCode, mdText } from './escape-markdown.js';
import { describeValues, formatCount } from './format-value.js';

/** Escapes text from data for a Markdown table cell (see {@link mdText}). */
export function mdCell(text: string): string {
  return mdText(text);
}

/**
 * What changed, in one line of plain text: `path: before → after` (first three changes), values
 * cut around the part that differs; secrets read "changed (secret, value hidden)". Callers
 * escape it for their format.
 */
export function describeChange(f: Finding, options: { max?: number; shown?: number } = {}): string {
  const max = options.max ?? 40;
  const limit = options.shown ?? 3;
  if (f.change === 'unknown') return `not readable: ${f.reason ?? 'unknown reason'}`;
  if (f.change !== 'modified') return `${f.change} (${f.resourceType})`;
  const shown = f.changes.slice(0, limit).map((c) => `${c.path}: ${describeValues(c, max)}`);
  if (f.changes.length > limit) shown.push(`+${f.changes.length - limit} more`);
  return shown.join('; ');
}

/** The headline counts, worded the same in every Markdown output (report and pipeline summary). */
export function describeCounts(report: Report): string {
  const s = report.summary;
  return `${formatCount(s.findings)} finding${s.findings === 1 ? '' : 's'} (${s.byChange.modified} drifted · ${s.byChange.added} added · ${s.byChange.removed} removed · ${s.byChange.unknown} unknown)`;
}

/**
 * The report as Markdown: a heading with the verdict and the finding count (the same count as
 * the JSON report's `summary.findings` and `driftwatch history`), a table of findings with their
 * fingerprints (to `driftwatch accept` from a PR comment), then the counts. Every value from
 * Azure passes the secret sanitiser and is escaped, so it cannot add links, HTML or cells.
 */
export function renderMarkdown(input: Report): string {
  const report = sanitiseReport(input);
  const s = report.summary;
  const scope = report.scope ? ` in scope ${mdCode(report.scope)}` : '';
  const lines: string[] = [];
  lines.push(
    s.findings === 0
      ? `## No drift${scope}`
      : `## Drift${scope}: ${describeCounts(report)}${s.maxSeverity ? `, worst ${s.maxSeverity}` : ''}`,
  );
  lines.push('');
  if (report.findings.length > 0) {
    const impact = report.findings.some((f) => describeImpactLines(f).length > 0);
    lines.push(
      `| Severity | Resource | Change | Rule | Who / what |${impact ? ' Impact |' : ''} Fingerprint |`,
      `| --- | --- | --- | --- | --- |${impact ? ' --- |' : ''} --- |`,
    );
    for (const f of report.findings) {
      const touches = impact ? ` ${mdText(describeImpactLines(f).join(' · '))} |` : '';
      lines.push(
        `| ${f.change === 'unknown' ? 'unknown' : f.severity} | ${mdCode(f.resourceName)} | ${mdText(describeChange(f))} | ${mdText(`${f.rule}: ${f.why}`)} | ${mdText(f.attribution?.summary ?? '')} |${touches} \`${f.fingerprint}\` |`,
      );
    }
    lines.push('');
  }
  const base = report.baseline;
  lines.push(
    `Baseline: ${mdText([base.label ?? base.source, base.collectedAt].filter(Boolean).join(', ') || 'given')} · ${formatCount(base.resources)} resources · current ${formatCount(report.current.resources)} resources`,
  );
  lines.push('');
  lines.push(
    `${s.byChange.modified} drifted · ${s.byChange.added} added · ${s.byChange.removed} removed · ${s.byChange.unknown} unknown · ${formatCount(s.suppressed.total)} platform-managed or ignored change${s.suppressed.total === 1 ? '' : 's'} suppressed${s.accepted ? ` · ${s.accepted} accepted` : ''}`,
  );
  const cost = describeCostSummary(report);
  if (cost) lines.push('', mdText(cost));
  if (report.findings.length > 0) {
    lines.push('', 'Accept an expected finding with `driftwatch accept <fingerprint>`.');
  }
  if (!report.complete) {
    lines.push(
      '',
      '> **Incomplete:** part of the scope could not be read; this is not an all-clear.',
    );
  }
  return `${lines.join('\n')}\n`;
}
