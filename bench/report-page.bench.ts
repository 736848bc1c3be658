// Bench: the report page of a 5,000-finding report in headless Chromium. Goal: interactive in
// under 2 s — measured from navigation start (the page opened as a file) until the findings
// table's text filter has answered a first query. Reference in the same run: the same report as
// its Markdown text in a bare <pre> (no script, no table) — the browser's floor for loading this
// much text. Also printed: the Node render time and the page size.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { escapeHtml } from '../core/report/escape-html.js';
import { buildReportTrend } from '../core/report/page/build-report-trend.js';
import { readPageAssets } from '../core/report/page/read-page-assets.js';
import { renderReportPage } from '../core/report/page/render-report-page.js';
import { renderMarkdown } from '../core/report/render-markdown.js';
import { buildPageReport } from '../test/report/page/build-page-report.js';

const COUNT = Number(process.env.REPORT_PAGE_BENCH_COUNT ?? 5_000);
const RUNS = Number(process.env.REPORT_PAGE_BENCH_RUNS ?? 5);
const SCANS = 30;
const GOAL_MS = 2_000;
const dir = `${process.cwd()}/bench/.data`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const scans = Array.from({ length: SCANS }, (_, k) => ({
  id: `scan${k}`,
  report: buildPageReport({
    count: COUNT - (SCANS - 1 - k) * 7,
    generatedAt: new Date(Date.UTC(2026, 10, 1 + k, 9)).toISOString(),
    seed: k * 3,
  }),
}));
const last = scans[scans.length - 1] as (typeof scans)[number];
const trend = buildReportTrend('prod', scans);
const assets = readPageAssets();
const renders: number[] = [];
let html = '';
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  html = renderReportPage({ report: last.report, reportId: last.id, trend }, { assets });
  renders.push(performance.now() - t0);
}
const pageFile = `${dir}/report-page-${COUNT}.html`;
const refFile = `${dir}/report-page-${COUNT}-markdown.html`;
writeFileSync(pageFile, html);
writeFileSync(
  refFile,
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>ref</title><pre>${escapeHtml(renderMarkdown(last.report))}</pre></html>`,
);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
const interactive: number[] = [];
const reference: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    // Alternate page and reference so machine load hits both alike.
    {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t0 = Date.now();
      await page.goto(`file://${pageFile}`, { waitUntil: 'commit' });
      await page.waitForSelector('html[data-ready=true]', { timeout: 60_000 });
      await page.fill('#filter-text', 'res-00042');
      await page.waitForFunction("document.documentElement.getAttribute('data-matching') === '1'");
      interactive.push(Date.now() - t0);
      await page.close();
    }
    {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t0 = Date.now();
      await page.goto(`file://${refFile}`, { waitUntil: 'load' });
      reference.push(Date.now() - t0);
      await page.close();
    }
  }
} finally {
  await browser.close();
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
console.log(
  `report page, ${COUNT.toLocaleString('en-US')} findings, ${SCANS} scans in the trend (${RUNS} runs, median)`,
);
console.log(
  `  render in Node:                        ${median(renders).toFixed(0)} ms  (page ${mib(Buffer.byteLength(html))})`,
);
console.log(
  `  page interactive (first filter answer): ${median(interactive)} ms  (runs ${interactive.join(', ')})  goal < ${GOAL_MS} ms: ${median(interactive) < GOAL_MS ? 'met' : 'NOT met'}`,
);
console.log(
  `  reference: Markdown text in a <pre>:    ${median(reference)} ms to load  (runs ${reference.join(', ')})`,
);
