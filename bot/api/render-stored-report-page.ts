import type { Clock } from '../../core/clock.js';
import { loadReportPageInput } from '../../core/report/page/load-report-page-input.js';
import { readPageAssets } from '../../core/report/page/read-page-assets.js';
import { renderReportPage } from '../../core/report/page/render-report-page.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { RenderPage } from './serve-report-page.js';

/**
 * The report page of a stored report (the same page `driftwatch report ID --format html` writes),
 * with the CSP nonce of this response on its inline scripts and styles.
 *
 * @example
 * serveReportPage({ secret, clock, render: renderStoredReportPage(store, clock) });
 */
export function renderStoredReportPage(store: DriftStore, clock: Clock): RenderPage {
  return async (reportId, nonce) => {
    const input = await loadReportPageInput(store, reportId, { clock });
    if (!input) return undefined;
    return {
      html: renderReportPage(input, { assets: readPageAssets(), nonce }),
      scope: input.report.scope ?? 'default',
    };
  };
}
