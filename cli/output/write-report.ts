import type { Report } from '../../core/model/report.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { renderText } from '../../core/report/render-text.js';
import { sanitiseReport } from '../../core/secrets/sanitise-report.js';
import type { CliContext } from '../cli-context.js';

export const REPORT_FORMATS = ['text', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Whether to colour: `NO_COLOR` set and non-empty turns it off (https://no-color.org); else
 * `FORCE_COLOR` turns it on (`0` or `false` off); else colour only on a TTY whose `TERM` is not
 * `dumb`.
 */
export function useColor(ctx: Pick<CliContext, 'stdout' | 'env'>): boolean {
  const { NO_COLOR, FORCE_COLOR, TERM } = ctx.env;
  if (NO_COLOR !== undefined && NO_COLOR !== '') return false;
  if (FORCE_COLOR !== undefined) return !['0', 'false'].includes(FORCE_COLOR.toLowerCase());
  if (TERM === 'dumb') return false;
  return Boolean(ctx.stdout.isTTY);
}

/** Writes a report to stdout in the chosen format; every format passes the secret sanitiser. */
export function writeReport(
  ctx: CliContext,
  report: Report,
  format: ReportFormat,
  options: { all?: boolean } = {},
): void {
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify(sanitiseReport(report), null, 2)}\n`);
    return;
  }
  if (format === 'md') {
    ctx.stdout.write(renderMarkdown(report));
    return;
  }
  ctx.stdout.write(
    renderText(report, {
      color: useColor(ctx),
      ...(ctx.stdout.columns ? { width: ctx.stdout.columns } : {}),
      ...(options.all ? { all: true } : {}),
    }),
  );
}
