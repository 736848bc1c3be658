import { describe, expect, it } from 'vitest';
import { judgeReport } from '../../core/model/judge-report.js';
import type { Finding, Report } from '../../core/model/report.js';
import type { Severity } from '../../core/model/severity.js';

const finding = (change: Finding['change'], severity: Severity): Finding =>
  ({ change, severity, fingerprint: `${change}-${severity}` }) as Finding;
const report = (complete: boolean, findings: Finding[]): Report =>
  ({ complete, findings }) as unknown as Report;

describe('judgeReport', () => {
  it.each([
    ['drift at the threshold, complete: drift', true, [finding('modified', 'high')], 'drift'],
    [
      'drift at the threshold wins over an incomplete report: drift',
      false,
      [finding('modified', 'high'), finding('unknown', 'info')],
      'drift',
    ],
    [
      'an incomplete report with drift below: incomplete',
      false,
      [finding('added', 'low')],
      'incomplete',
    ],
    [
      'an incomplete report without drift: incomplete',
      false,
      [finding('unknown', 'info')],
      'incomplete',
    ],
    [
      'drift below the threshold, complete: drift-below',
      true,
      [finding('removed', 'medium')],
      'drift-below',
    ],
    ['nothing, complete: clean', true, [], 'clean'],
  ] as const)('%s', (_name, complete, findings, outcome) => {
    expect(judgeReport(report(complete, [...findings]), 'high').outcome).toBe(outcome);
  });

  it('never counts an unknown resource as drift, whatever its severity', () => {
    const judged = judgeReport(report(false, [finding('unknown', 'critical')]), 'low');

    expect([judged.outcome, judged.above, judged.below]).toEqual(['incomplete', [], []]);
  });
});
