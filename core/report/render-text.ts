import { describeCostSummary, describeImpactLines } from '../impact/describe-impact.js';
import type { Change, Finding, Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { escapeControl as t } from './escape-terminal.js';
import { describeValues, formatCount } from './format-value.js';

export interface TextOptions {
  color: boolean;
  width?: number;
  /** List low/info tag-only findings one by one instead of as one summary line. */
  all?: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  magenta: '\x1b[35m',
};
const SEVERITY_STYLE: Record<Severity, string> = {
  critical: ANSI.bold + ANSI.red,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.cyan,
  info: ANSI.dim,
};
const LABEL_WIDTH = 10;

/**
 * The report as a person reads it in a terminal: worst first, one block per finding, then the
 * counts (with what could not be read, always), then what was suppressed. Same text without colour.
 * Every value passes the secret sanitiser, and control characters from data are shown escaped
 * (`\u001b`), so a tag value cannot clear the screen or draw a line of its own.
 */
export function renderText(input: Report, options: TextOptions): string {
  const report = sanitiseReport(input);
  const paint = (style: string, text: string) =>
    options.color ? `${style}${text}${ANSI.reset}` : text;
  const lines: string[] = [header(report), ''];
  const drift = report.findings.filter((f) => f.change !== 'unknown');
  const unknown = report.findings.filter((f) => f.change === 'unknown');
  const collapsed = options.all ? [] : drift.filter(isMinorTagOnly);
  const shown = drift.filter((f) => !collapsed.includes(f));
  const nameWidth = Math.min(28, Math.max(8, ...shown.map((f) => t(f.resourceName).length)));
  const indent = ' '.repeat(2 + LABEL_WIDTH);

  for (const f of shown) {
    const label = paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(LABEL_WIDTH));
    const name = paint(ANSI.bold, t(f.resourceName).padEnd(nameWidth));
    const id = paint(ANSI.dim, `  [${f.fingerprint.slice(0, 8)}]`);
    if (f.change === 'modified') {
      f.changes.forEach((c, i) => {
        lines.push(
          i === 0
            ? `  ${label}${name}  ${t(c.path)}${id}`
            : `${indent}${' '.repeat(nameWidth)}  ${t(c.path)}`,
        );
        lines.push(`${indent}${changeLine(c, paint)}`);
      });
    } else {
      lines.push(
        `  ${label}${name}  ${f.change} ${paint(ANSI.dim, `(${t(f.resourceType)})`)}${id}`,
      );
      lines.push(`${indent}${paint(ANSI.dim, `rule ${t(f.rule)}: ${t(f.why)}`)}`);
    }
    if (f.attribution) lines.push(`${indent}${paint(ANSI.magenta, t(f.attribution.summary))}`);
    for (const line of describeImpactLines(f)) lines.push(`${indent}${paint(ANSI.cyan, t(line))}`);
  }
  if (collapsed.length > 0) {
    const changes = collapsed.reduce((n, f) => n + f.changes.length, 0);
    const label = paint(SEVERITY_STYLE.low, 'LOW'.padEnd(LABEL_WIDTH));
    lines.push(
      `  ${label}${formatCount(changes)} tag change${changes === 1 ? '' : 's'} on ${formatCount(collapsed.length)} resource${collapsed.length === 1 ? '' : 's'} (--all lists them)`,
    );
  }
  for (const f of unknown) {
    const label = paint(ANSI.magenta, 'UNKNOWN'.padEnd(LABEL_WIDTH));
    lines.push(
      `  ${label}${paint(ANSI.bold, t(f.resourceName).padEnd(nameWidth))}  not readable: ${t(f.reason ?? 'unknown reason')}`,
    );
  }
  const platform = report.platform ?? [];
  if (options.all) {
    for (const f of platform) {
      const label = paint(ANSI.dim, 'PLATFORM'.padEnd(LABEL_WIDTH));
      f.changes.forEach((c, i) => {
        lines.push(
          i === 0
            ? `  ${label}${paint(ANSI.bold, t(f.resourceName).padEnd(nameWidth))}  ${t(c.path)}`
            : `${indent}${' '.repeat(nameWidth)}  ${t(c.path)}`,
        );
        lines.push(
          `${indent}${paint(ANSI.dim, `${t(describeValues(c))}  · Azure recorded it as a platform change`)}`,
        );
      });
    }
  }
  if (shown.length + collapsed.length + unknown.length + (options.all ? platform.length : 0) > 0)
    lines.push('');
  lines.push(...footer(report, paint));
  const cost = describeCostSummary(report);
  if (cost) lines.push(`  ${t(cost)}`);
  return `${lines.join('\n')}\n`;
}

function header(report: Report): string {
  const parts = ['driftwatch'];
  parts.push(
    `${report.scope ? `scope ${t(report.scope)} ` : ''}(${plural(report.current.resources, 'resource')})`,
  );
  const base = report.baseline;
  const when = base.collectedAt ? t(base.collectedAt.replace('T', ' ').slice(0, 16)) : undefined;
  const what = base.label ?? base.source;
  if (when || what)
    parts.push(`baseline ${[when, what ? `(${t(what)})` : undefined].filter(Boolean).join(' ')}`);
  return parts.join(' · ');
}

function changeLine(c: Change, paint: (style: string, text: string) => string): string {
  return `${t(describeValues(c))}  ${paint(ANSI.dim, `· ${t(c.rule)}: ${t(c.why)}`)}`;
}

function isMinorTagOnly(f: Finding): boolean {
  return (
    f.change === 'modified' &&
    (f.severity === 'low' || f.severity === 'info') &&
    f.changes.every((c) => c.path.startsWith('tags'))
  );
}

function footer(report: Report, paint: (style: string, text: string) => string): string[] {
  const s = report.summary;
  const out: string[] = [];
  const drifted = s.byChange.modified + s.byChange.added + s.byChange.removed;
  if (drifted === 0 && s.byChange.unknown === 0) {
    out.push(
      `  no drift · ${formatCount(report.current.resources)} resource${report.current.resources === 1 ? '' : 's'} compared`,
    );
  } else {
    const unknownReason = report.findings.find((f) => f.change === 'unknown')?.reason;
    const unknown = `${s.byChange.unknown} unknown${unknownReason ? ` (not readable: ${t(unknownReason.replace(/ \(.*$/, ''))})` : ''}`;
    out.push(
      `  ${s.byChange.modified} drifted · ${s.byChange.added} added · ${s.byChange.removed} removed · ${unknown}`,
    );
  }
  if (!report.complete) {
    out.push(
      paint(
        ANSI.magenta,
        '  INCOMPLETE: part of the scope could not be read; this is not an all-clear',
      ),
    );
  }
  if (s.suppressed.total > 0) {
    const rules = t(Object.keys(s.suppressed.byRule).slice(0, 4).join(', '));
    out.push(
      paint(
        ANSI.dim,
        `  suppressed ${plural(s.suppressed.total, 'platform-managed or ignored change')} (${rules}${Object.keys(s.suppressed.byRule).length > 4 ? '…' : ''})`,
      ),
    );
  }
  const platformChanges = (report.platform ?? []).reduce((n, f) => n + f.changes.length, 0);
  if (platformChanges > 0)
    out.push(
      paint(
        ANSI.dim,
        `  ${plural(platformChanges, 'change')} Azure recorded as the platform's own (--all lists them)`,
      ),
    );
  if (s.accepted > 0)
    out.push(
      paint(
        ANSI.dim,
        `  ${formatCount(s.accepted)} accepted finding${s.accepted === 1 ? '' : 's'} not shown`,
      ),
    );
  return out;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
