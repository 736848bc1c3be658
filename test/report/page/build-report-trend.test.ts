import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../../core/model/report.js';
import { buildReportTrend } from '../../../core/report/page/build-report-trend.js';
import { buildPageReport } from './build-page-report.js';

/** A report whose findings are exactly these (fingerprint, resource, change). */
function scan(at: string, findings: Array<[string, string, Finding['change']]>): Report {
  const base = buildPageReport({ count: findings.length, generatedAt: at });
  base.findings = base.findings.map((f, i) => {
    const [fingerprint, name, change] = findings[i] as [string, string, Finding['change']];
    return {
      ...f,
      fingerprint,
      resourceId: `/subscriptions/s/resourceGroups/rg/providers/T/x/${name}`,
      change,
    };
  });
  base.summary.byChange = { added: 0, removed: 0, modified: 0, unknown: 0 };
  for (const f of base.findings) base.summary.byChange[f.change] += 1;
  return base;
}

describe('buildReportTrend', () => {
  it('gives one point per scan, oldest first, with new, resolved and mean hours to resolve', () => {
    const reports = [
      { id: 'c', report: scan('2026-11-03T00:00:00Z', [['fp-b', 'b', 'modified']]) },
      {
        id: 'a',
        report: scan('2026-11-01T00:00:00Z', [
          ['fp-a', 'a', 'modified'],
          ['fp-b', 'b', 'modified'],
        ]),
      },
      {
        id: 'b',
        report: scan('2026-11-02T00:00:00Z', [
          ['fp-b', 'b', 'modified'],
          ['fp-c', 'c', 'added'],
        ]),
      },
    ];

    const trend = buildReportTrend('prod', reports);

    expect(
      trend.points.map((p) => [p.reportId, p.newFindings, p.resolved, p.meanHoursToResolve]),
    ).toEqual([
      ['a', null, null, null],
      ['b', 1, 1, 24],
      ['c', 0, 1, 24],
    ]);
    expect(trend.meanHoursToResolve).toBe(24);
    expect(trend.scope).toBe('prod');
  });

  it('never counts drift on a resource that became unreadable as resolved', () => {
    const reports = [
      { id: 'a', report: scan('2026-11-01T00:00:00Z', [['fp-a', 'a', 'modified']]) },
      { id: 'b', report: scan('2026-11-02T00:00:00Z', [['fp-u', 'a', 'unknown']]) },
      { id: 'c', report: scan('2026-11-04T00:00:00Z', []) },
    ];

    const trend = buildReportTrend('prod', reports);

    expect(trend.points.map((p) => [p.resolved, p.unknown, p.meanHoursToResolve])).toEqual([
      [null, 0, null],
      [0, 1, null],
      [1, 0, 72],
    ]);
  });

  it('has no points and no mean for a scope without scans', () => {
    expect(buildReportTrend('empty', [])).toEqual({
      scope: 'empty',
      points: [],
      meanHoursToResolve: null,
    });
  });
});
