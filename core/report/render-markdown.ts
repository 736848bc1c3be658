import type { Finding, Report } from '../model/report.js';
import { formatCount, formatValue } from './format-value.js';

/** Escapes text for a Markdown table cell. */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
    .replace(/`/g, "'");
}

/** What changed, in one cell: `path: before → after` (first three changes). */
export function describeChange(f: Finding): string {
  if (f.change === 'unknown') return `not readable: ${f.reason ?? 'unknown reason'}`;
  if (f.change !== 'modified') return `${f.change} (${f.resourceType})`;
  const shown = f.changes
    .slice(0, 3)
    .map((c) => `${c.path}: ${formatValue(c.before, 40)} → ${formatValue(c.after, 40)}`);
  if (f.changes.length > 3) shown.push(`+${f.changes.length - 3} more`);
  return shown.join('; ');
}

/** The report as Markdown: a heading with the verdict, a table of findings, then the counts. */
export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const drift = s.byChange.modified + s.byChange.added + s.byChange.removed;
  const scope = report.scope ? ` in scope \`${report.scope}\`` : '';
  const lines: string[] = [];
  lines.push(
    drift === 0
      ? `## No drift${scope}`
      : `## Drift${scope}: ${formatCount(drift)} finding${drift === 1 ? '' : 's'}, worst ${s.maxSeverity}`,
  );
  lines.push('');
  if (report.findings.length > 0) {
    lines.push(
      '| Severity | Resource | Change | Rule | Who / what |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const f of report.findings) {
      lines.push(
        `| ${f.change === 'unknown' ? 'unknown' : f.severity} | \`${mdCell(f.resourceName)}\` | ${mdCell(describeChange(f))} | ${mdCell(`${f.rule}: ${f.why}`)} | ${mdCell(f.attribution?.summary ?? '')} |`,
      );
    }
    lines.push('');
  }
  const base = report.baseline;
  lines.push(
    `Baseline: ${[base.label ?? base.source, base.collectedAt].filter(Boolean).join(', ') || 'given'} · ${formatCount(base.resources)} resources · current ${formatCount(report.current.resources)} resources`,
  );
  lines.push('');
  lines.push(
    `${s.byChange.modified} drifted · ${s.byChange.added} added · ${s.byChange.removed} removed · ${s.byChange.unknown} unknown · ${formatCount(s.suppressed.total)} platform-managed or ignored change${s.suppressed.total === 1 ? '' : 's'} suppressed${s.accepted ? ` · ${s.accepted} accepted` : ''}`,
  );
  if (!report.complete) {
    lines.push(
      '',
      '> **Incomplete:** part of the scope could not be read; this is not an all-clear.',
    );
  }
  return `${lines.join('\n')}\n`;
}
