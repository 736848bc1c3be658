import type { Report } from '../../core/model/report.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { renderText } from '../../core/report/render-text.js';
import type { CliContext } from '../cli-context.js';

export const REPORT_FORMATS = ['text', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Writes a report to stdout in the chosen format; colour only on a TTY and without NO_COLOR. */
export function writeReport(ctx: CliContext, report: Report, format: ReportFormat): void {
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (format === 'md') {
    ctx.stdout.write(renderMarkdown(report));
    return;
  }
  const color = Boolean(ctx.stdout.isTTY) && ctx.env.NO_COLOR === undefined;
  ctx.stdout.write(
    renderText(report, { color, ...(ctx.stdout.columns ? { width: ctx.stdout.columns } : {}) }),
  );
}
