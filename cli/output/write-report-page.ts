import { resolve } from 'node:path';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { CliContext } from '../cli-context.js';
import { writeFileAtomically } from './write-file-atomically.js';

/**
 * `driftwatch report ID --format html [--out FILE]`: the report page of a stored report (its
 * scope's trend and each finding's history read from the store) to `FILE`, or to stdout. The
 * page code (and uPlot, dagre) loads only here, so other commands do not pay for it. Returns
 * false when no report has that id.
 */
export async function writeReportPage(
  ctx: CliContext,
  store: DriftStore,
  id: string,
  out: string | undefined,
): Promise<boolean> {
  const [{ loadReportPageInput }, { readPageAssets }, { renderReportPage }] = await Promise.all([
    import('../../core/report/page/load-report-page-input.js'),
    import('../../core/report/page/read-page-assets.js'),
    import('../../core/report/page/render-report-page.js'),
  ]);
  const input = await loadReportPageInput(store, id, { clock: ctx.clock });
  if (!input) return false;
  const html = renderReportPage(input, { assets: readPageAssets() });
  if (out === undefined || out === '-') {
    ctx.stdout.write(html);
    return true;
  }
  const file = resolve(ctx.cwd, out);
  writeFileAtomically(file, html);
  const findings = input.report.summary.findings;
  const scans = input.trend?.points.length ?? 0;
  ctx.stderr.write(
    `report page written to ${out}: ${count(findings, 'finding')}, ${count(scans, 'scan')} in the trend, ${Math.ceil(Buffer.byteLength(html) / 1024)} KiB; opens offline in any browser\n`,
  );
  return true;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
