import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonForScript } from '../../../core/report/escape-html.js';
import { buildReportTrend } from '../../../core/report/page/build-report-trend.js';
import { readPageAssets } from '../../../core/report/page/read-page-assets.js';
import { renderReportPage } from '../../../core/report/page/render-report-page.js';
import { buildPageReport, HOSTILE_TAG } from './build-page-report.js';

const assets = readPageAssets();
const SECRET_CONN =
  'DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=c2VjcmV0LWtleS1ub3QtZm9yLXlvdXItZXllcw==;EndpointSuffix=core.windows.net';

function hostilePage(options: { nonce?: string } = {}) {
  const report = buildPageReport({ count: 12, hostile: true });
  const first = report.findings[0];
  const hop = first?.impact?.radius[0];
  if (hop) hop.name = `snet ${SECRET_CONN}`;
  if (first) {
    first.changes.push({
      path: 'properties.siteConfig.appSettings[STORAGE]',
      before: 'x',
      after: SECRET_CONN,
      severity: 'high',
      rule: 'app-setting',
      why: 'setting changed',
    });
  }
  const trend = buildReportTrend('prod', [{ id: 'r1', report }]);
  const events = {
    [first?.fingerprint ?? '']: [
      {
        kind: 'accepted' as const,
        at: '2026-11-26T10:00:00Z',
        by: HOSTILE_TAG,
        text: `accepted: ${HOSTILE_TAG}`,
      },
    ],
  };
  return renderReportPage({ report, reportId: 'r1', trend, events }, { assets, ...options });
}

/** Every element start tag in the page, by name. */
const tags = (html: string, name: string) =>
  html.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];

describe('renderReportPage', () => {
  it('shows hostile tag values as text: no element, attribute or link comes from data', () => {
    const html = hostilePage();

    expect(html).not.toContain(HOSTILE_TAG);
    expect(html).not.toContain('"><img');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain(
      '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain(`pipeline ${'&quot;&gt;&lt;img'}`);
    expect(
      tags(html, 'script').every((t) =>
        /^<script( nonce="[^"]+")?>$|type="(application\/json|text\/plain)"/.test(t),
      ),
    ).toBe(true);
  });

  it('masks secrets before rendering (the sanitiser runs first), in values and in the impact radius', () => {
    const html = hostilePage();

    expect(html).not.toContain('c2VjcmV0LWtleS1ub3QtZm9yLXlvdXItZXllcw');
    expect(html).toContain('AccountName=st1');
  });

  it('allows its own inline scripts and styles by hash and forbids every request', () => {
    const html = hostilePage();
    const csp =
      /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
        .exec(html)?.[1]
        ?.replace(/&#39;/g, "'") ?? '';
    const inline = (name: string) =>
      [...html.matchAll(new RegExp(`<${name}(?: nonce="[^"]*")?>([\\s\\S]*?)</${name}>`, 'g'))].map(
        (m) => m[1] as string,
      );
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

    expect(csp).toMatch(/^default-src 'none'; script-src /);
    expect(csp).toContain("img-src 'none'; base-uri 'none'; form-action 'none'");
    expect(inline('script').length).toBe(3);
    for (const s of inline('script')) expect(csp).toContain(hash(s));
    expect(inline('style').length).toBe(2);
    for (const s of inline('style')) expect(csp).toContain(hash(s));
    expect(html).not.toMatch(
      /<(img|iframe|script|link|source|video|audio|embed|object|image|use)\b[^>]*\s(src|href)=/i,
    );
    expect(tags(html, 'link')).toEqual([]);
    // The only addresses are deployment links a person may follow; none is loaded.
    for (const m of html.matchAll(/<(\w+)[^>]*\shref="([^"]*)"/g)) {
      expect([m[1], m[2]?.startsWith('https://dev.azure.com/') || m[2] === '#findings']).toEqual([
        'a',
        true,
      ]);
    }
    // No inline handler from our markup (the hostile text holds "onerror=", always escaped).
    expect(html.replace(/(&lt;|\\u003c)img src=x onerror=/g, '')).not.toMatch(/\son[a-z]+=/i);
  });

  it('puts the nonce on every inline script and style when one is given', () => {
    const html = hostilePage({ nonce: 'n0nce+/=' });

    expect(tags(html, 'style')).toEqual(['<style nonce="n0nce+/=">', '<style nonce="n0nce+/=">']);
    expect(tags(html, 'script').filter((t) => !t.includes('type='))).toEqual([
      '<script nonce="n0nce+/=">',
      '<script nonce="n0nce+/=">',
      '<script nonce="n0nce+/=">',
    ]);
    expect(html).toContain('&#39;nonce-n0nce+/=&#39;');
  });

  it('embeds the trend as script-safe JSON that reads back as the trend', () => {
    const report = buildPageReport({ count: 3 });
    report.scope = '</script><script>alert(1)</script>';
    const trend = buildReportTrend(report.scope, [{ id: 'r1', report }]);

    const html = renderReportPage({ report, reportId: 'r1', trend }, { assets });
    const json =
      /<script type="application\/json" id="dw-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

    expect(json).toBe(jsonForScript(JSON.parse(json)));
    expect(JSON.parse(json).trend).toEqual(trend);
    expect(JSON.parse(json).findings).toHaveLength(3);
  });

  it('says an incomplete report is not an all-clear and lists unknown resources with their reasons', () => {
    const report = buildPageReport({ count: 50 });

    const html = renderReportPage({ report }, { assets });

    expect(report.complete).toBe(false);
    expect(html).toContain(
      'Incomplete: part of the scope could not be read, so this is not an all-clear.',
    );
    expect(html).toContain(
      '<li><strong>res-00049</strong> <span class="res-type">Microsoft.KeyVault/vaults</span>: 403 on Microsoft.Web/sites/config</li>',
    );
  });

  it('draws the impact graph with dagre and lists the radius for a finding with impact', () => {
    const report = buildPageReport({ count: 1 });

    const html = renderReportPage({ report }, { assets });

    expect(html).toContain('<svg class="impact-graph" role="img"');
    expect(html).toContain('<title>Dependency graph: 3 resource(s) depend on res-00000</title>');
    expect(tags(html, 'path').filter((t) => t.includes('class="edge"'))).toHaveLength(3);
    expect(html).toContain('guards 1 VM: vm-0 · 1 internet-facing');
    expect(html).toContain('<summary>Blast radius: 3 resources</summary>');
  });
});
