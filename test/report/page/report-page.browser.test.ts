import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReportTrend } from '../../../core/report/page/build-report-trend.js';
import { readPageAssets } from '../../../core/report/page/read-page-assets.js';
import { renderReportPage } from '../../../core/report/page/render-report-page.js';
import { launchChromium } from '../../support/launch-chromium.js';
import { describeWithChromium, PROJECT_ROOT } from '../../support/requirements.js';
import { buildPageReport, HOSTILE_TAG } from './build-page-report.js';

const SCANS = 7;
/** Elements whose own text has less than 4.5:1 against the nearest opaque background (WCAG AA). */
const CONTRAST_FAILURES = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg, .u-legend, .visually-hidden, script, style') || !el.getClientRects().length) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const fg = rgb(getComputedStyle(el).color);
    const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) out.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2) + ' ' + el.textContent.trim().slice(0, 30));
  }
  return out;
})()`;
/** Page-side expressions (the project's type-check has no DOM library). */
const ACTIVE_ID = "document.activeElement ? document.activeElement.id : ''";
const COUNT = 240;

describeWithChromium('report page in headless Chromium (opened as a file)', () => {
  let browser: Browser;
  let url: string;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const scans = Array.from({ length: SCANS }, (_, k) => ({
      id: `scan${k}`,
      report: buildPageReport({
        count: COUNT - (SCANS - 1 - k) * 5,
        generatedAt: new Date(Date.UTC(2026, 10, 20 + k, 9)).toISOString(),
        seed: k * 2,
        hostile: true,
      }),
    }));
    const last = scans[SCANS - 1] as (typeof scans)[number];
    const file = join(mkdtempSync(join(tmpdir(), 'dw-page-')), 'report.html');
    const first = last.report.findings[0];
    writeFileSync(
      file,
      renderReportPage(
        {
          report: last.report,
          reportId: last.id,
          trend: buildReportTrend('prod', scans),
          events: first
            ? {
                [first.fingerprint]: [
                  {
                    kind: 'accepted',
                    at: '2026-11-26T10:00:00Z',
                    by: 'alice@contoso.com',
                    text: 'accepted: planned change',
                  },
                ],
              }
            : {},
        },
        { assets: readPageAssets() },
      ),
    );
    url = pathToFileURL(file).href;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // Every request the page makes is recorded; any that is not the file itself is refused.
    context.on('request', (r) => requests.push(r.url()));
    await context.route('**/*', (route) =>
      route.request().url() === url ? route.continue() : route.abort('blockedbyclient'),
    );
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('html[data-ready=true]');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no request beyond the file, no script error and no CSP violation', async () => {
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    expect(await page.title()).toBe('Drift report · prod · 2026-11-26T09:00:00.000Z');
  });

  it('draws each trend chart with one point per stored scan', async () => {
    const points = await page.$$eval('.chart', (els) =>
      els.map((e) => [e.id, e.getAttribute('data-points')]),
    );
    const canvases = await page.$$eval('.chart canvas', (els) => els.length);

    expect(points).toEqual([
      ['chart-severity', String(SCANS)],
      ['chart-flow', String(SCANS)],
      ['chart-health', String(SCANS)],
    ]);
    expect(canvases).toBe(3);
    expect(await page.$$eval('table.trend tbody tr', (rows) => rows.length)).toBe(SCANS);
  });

  it('renders a hostile tag value as text: no element made, no script run', async () => {
    const name = await page.textContent('#f-0 th[scope=row]');

    expect(name).toBe(`vm${HOSTILE_TAG}`);
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.$$eval('a[href^="javascript:"]', (els) => els.length)).toBe(0);
  });

  it('filters by severity, resource group and text from the keyboard', async () => {
    await page.focus('body');
    let reached = '';
    for (let i = 0; i < 15 && reached !== 'filter-severity'; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<string>(ACTIVE_ID);
    }
    expect(reached).toBe('filter-severity');
    await page.keyboard.press('ArrowDown'); // the first severity present: critical
    await page.waitForFunction(
      () => "document.getElementById('count').textContent.includes('match')",
    );
    const severities = await page.$$eval('#findings-table tbody.finding', (els) => [
      ...new Set(els.map((e) => e.getAttribute('data-severity'))),
    ]);
    expect(severities).toEqual(['critical']);
    const critical = Number(await page.getAttribute('html', 'data-matching'));
    expect(critical).toBe(60);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(ACTIVE_ID)).toBe('filter-rg');
    await page.keyboard.press('ArrowDown'); // rg-app-0
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(ACTIVE_ID)).toBe('filter-text');
    await page.keyboard.type('res-0010');
    await page.waitForFunction("document.documentElement.getAttribute('data-matching') === '1'");
    expect(await page.textContent('#count')).toBe(`1 of ${COUNT} findings match`);
    expect(await page.textContent('#findings-table > tbody.finding > tr:first-child > th')).toBe(
      'res-00100',
    );

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Clear filters
    await page.waitForFunction(
      `document.documentElement.getAttribute('data-matching') === '${COUNT}'`,
    );
    expect(await page.textContent('#count')).toBe(`${COUNT} findings; showing the first 100`);
  });

  it('sorts by a column from the keyboard, both ways, and says so', async () => {
    await page.focus('th[data-sort=resource] button');
    await page.keyboard.press('Enter');
    const ascending = await page.$$eval(
      '#findings-table > tbody.finding > tr:first-child > th',
      (els) => els.slice(0, 3).map((e) => e.textContent),
    );
    expect(await page.getAttribute('th[data-sort=resource]', 'aria-sort')).toBe('ascending');
    expect(ascending).toEqual(['res-00001', 'res-00002', 'res-00003']);

    await page.keyboard.press('Space');
    const descending = await page.$$eval(
      '#findings-table > tbody.finding > tr:first-child > th',
      (els) => els.slice(0, 2).map((e) => e.textContent),
    );
    expect(await page.getAttribute('th[data-sort=resource]', 'aria-sort')).toBe('descending');
    expect(descending).toEqual([`vm${HOSTILE_TAG}`, 'res-00239']);
    expect(await page.textContent('#sort-status')).toBe('Sorted by Resource, descending');
  });

  it("opens a finding's details from the keyboard: changes, attribution, history and the impact graph", async () => {
    await page.focus('th[data-sort=severity] button');
    await page.keyboard.press('Enter'); // severity ascending = most severe first
    const toggle = page.locator('#f-0 button.toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');

    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.isVisible('#d-0')).toBe(true);
    expect(await page.textContent('#d-0 ul.events')).toBe(
      '2026-11-26T10:00:00Z · accepted by alice@contoso.com: accepted: planned change',
    );
    expect(await page.isVisible('#d-0 svg.impact-graph')).toBe(true);
    expect(await page.$$eval('#d-0 svg.impact-graph g.node', (els) => els.length)).toBe(4);
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');

    // README's picture: `UPDATE_SCREENSHOT=1 npx vitest run test/report/page/report-page.browser.test.ts`.
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await page.setViewportSize({ width: 1400, height: 2000 });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(PROJECT_ROOT, 'images/report-page.png') });
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });

  it('gives every visible text a WCAG AA contrast against its background', async () => {
    // For each element with its own visible text: its colour against the nearest opaque background.
    const failures = await page.evaluate<string[]>(CONTRAST_FAILURES);

    expect(failures).toEqual([]);
  });

  it('prints without the controls and with the details of the findings shown', async () => {
    await page.emulateMedia({ media: 'print' });
    const filtersShown = await page.isVisible('.filters');
    const detailShown = await page.isVisible('#d-1');
    await page.emulateMedia({ media: 'screen' });

    expect([filtersShown, detailShown]).toEqual([false, true]);
    expect(await page.isVisible('#d-1')).toBe(false);
  });

  it('shows the rows beyond the first page on "Show more", laid out from the inert rows block', async () => {
    await page.click('#show-more');

    expect(await page.getAttribute('html', 'data-shown')).toBe('200');
    expect(await page.$$eval('#findings-table tbody.finding', (els) => els.length)).toBe(200);
  });
});
