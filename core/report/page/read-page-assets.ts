import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The third-party code the report page inlines (so it loads nothing from anywhere). */
export interface PageAssets {
  /** uPlot's minified browser build (IIFE, defines `uPlot`). */
  uplotJs: string;
  uplotCss: string;
}

/** Set by the bundlers (scripts/build.mjs, build-task.mjs): the assets read at build time. */
declare const __DRIFTWATCH_PAGE_ASSETS__: PageAssets | undefined;

let cached: PageAssets | undefined;

/**
 * uPlot's browser build and stylesheet, to inline into the report page. A bundle carries them
 * (the pipeline task ships without node_modules); source runs (tests, benchmarks) read them from
 * the installed `uplot` package.
 *
 * @example
 * renderReportPage(input, { assets: readPageAssets() })
 */
export function readPageAssets(): PageAssets {
  if (typeof __DRIFTWATCH_PAGE_ASSETS__ === 'object' && __DRIFTWATCH_PAGE_ASSETS__)
    return __DRIFTWATCH_PAGE_ASSETS__;
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return cached;
}
