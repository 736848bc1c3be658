import type { Report } from '../../core/model/report.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { renderText } from '../../core/report/render-text.js';
import type { CliContext } from '../cli-context.js';

export const REPORT_FORMATS = ['text', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(ctx: Pick<CliContext, 'stdout' | 'env'>): boolean {
  return Boolean(ctx.stdout.isTTY) && ctx.env.NO_COLOR === undefined;
}

/** Writes a report to stdout in the chosen format. */
export function writeReport(
  ctx: CliContext,
  report: Report,
  format: ReportFormat,
  options: { all?: boolean } = {},
): void {
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
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
