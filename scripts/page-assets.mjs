// The report page inlines uPlot's browser build and stylesheet. Bundles carry them as a define
// (`__DRIFTWATCH_PAGE_ASSETS__`, read by core/report/page/read-page-assets.ts), so the pipeline
// task — which ships without node_modules — renders the same self-contained page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** esbuild `define` entries that embed the page's third-party assets. */
export function pageAssetsDefine() {
  const read = (p) => readFileSync(require.resolve(p), 'utf8');
  return {
    __DRIFTWATCH_PAGE_ASSETS__: JSON.stringify({
      uplotJs: read('uplot/dist/uPlot.iife.min.js'),
      uplotCss: read('uplot/dist/uPlot.min.css'),
    }),
  };
}
