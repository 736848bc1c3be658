import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createBotMetrics } from '../../bot/bot-metrics.js';
import { PROJECT_ROOT } from '../support/requirements.js';

const DIR = resolve(PROJECT_ROOT, 'manifests/monitoring');
const rules = parse(readFileSync(resolve(DIR, 'driftwatch-alerts.yaml'), 'utf8')) as {
  groups: Array<{
    name: string;
    rules: Array<{
      alert: string;
      expr: string;
      for?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }>;
  }>;
};
const dashboard = JSON.parse(readFileSync(resolve(DIR, 'driftwatch-dashboard.json'), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  templating: { list: Array<{ query: { query: string } }> };
};

const FUNCTIONS_AND_KEYWORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'stdvar',
  'group',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/**
 * The metric names a PromQL expression reads: strings, label matchers, `by (…)` lists and range
 * selectors removed; what is left and is neither a function call nor a keyword is a metric name.
 * Grafana's `label_values(metric, label)` and `$variables` are understood.
 */
function metricNames(expr: string): string[] {
  const text = expr
    .replace(/label_values\(\s*([a-zA-Z_:][\w:]*)\s*,[^)]*\)/g, '$1')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\$[\w]+/g, '');
  const names: string[] = [];
  for (const m of text.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const after = text.slice((m.index ?? 0) + m[0].length).trimStart();
    if (after.startsWith('(') || FUNCTIONS_AND_KEYWORDS.has(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}

/** Every series name the bot's registry exposes (histograms and summaries with their suffixes). */
async function registryNames(): Promise<Set<string>> {
  const { registry } = createBotMetrics();
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (String(m.type) === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

describe('manifests/monitoring', () => {
  it.each([
    [
      'sum by (scope) (driftwatch_findings{severity=~"critical|high"}) > 0',
      ['driftwatch_findings'],
    ],
    [
      'sum(increase(a_total{x="y"}[1h])) / clamp_min(sum(rate(b_total[5m])), 1) > 0.1',
      ['a_total', 'b_total'],
    ],
    ['label_values(driftwatch_findings, scope)', ['driftwatch_findings']],
    [
      'sum by (reason) (rate(w_seconds_total{scope=~"$scope"}[$__rate_interval]))',
      ['w_seconds_total'],
    ],
  ])('reads the metric names of %s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });

  it('alerts on drift at or above high, failing scans, failing summaries and sustained Azure throttling', () => {
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));

    expect(alerts).toEqual([
      'DriftwatchDriftAtOrAboveHigh',
      'DriftwatchCriticalDrift',
      'DriftwatchScansFailing',
      'DriftwatchScansIncomplete',
      'DriftwatchNoScans',
      'DriftwatchScheduledSummariesFailing',
      'DriftwatchAzureThrottlingSustained',
      'DriftwatchAzurePacingWaitHigh',
    ]);
    for (const r of rules.groups.flatMap((g) => g.rules)) {
      expect([r.alert, typeof r.labels?.severity, typeof r.annotations?.summary]).toEqual([
        r.alert,
        'string',
        'string',
      ]);
    }
  });

  it('references only metrics the bot registers, in every alert and every dashboard query', async () => {
    const known = await registryNames();
    const used = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => [`alert ${r.alert}`, r.expr] as const)),
      ...dashboard.panels.flatMap((p) =>
        p.targets.map((t) => [`panel ${p.title}`, t.expr] as const),
      ),
      ...dashboard.templating.list.map((v) => ['variable', v.query.query] as const),
    ];

    const unknown = used.flatMap(([where, expr]) =>
      metricNames(expr)
        .filter((n) => !known.has(n))
        .map((n) => `${where}: ${n}`),
    );
    const referenced = new Set(used.flatMap(([, expr]) => metricNames(expr)));

    expect(unknown).toEqual([]);
    expect(used.every(([, expr]) => metricNames(expr).length > 0)).toBe(true);
    expect([...known].filter((n) => !referenced.has(n))).toEqual([]);
  });
});
