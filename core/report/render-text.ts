import type { Report } from '../model/report.js';

/** Terminal text (colour only when asked). (Stub: the engine work fills it in.) */
export function renderText(report: Report, _options: { color: boolean; width?: number }): string {
  return `${report.summary.findings} findings\n`;
}
