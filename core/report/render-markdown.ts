import type { Report } from '../model/report.js';

/** Markdown report. (Stub: the engine work fills it in.) */
export function renderMarkdown(report: Report): string {
  return `# Drift report\n\n${report.summary.findings} findings\n`;
}
