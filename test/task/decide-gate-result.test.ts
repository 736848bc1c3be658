import { describe, expect, it } from 'vitest';
import { decideGateResult } from '../../task/decide-gate-result.js';
import { SAMPLE_FINDINGS, sampleReport } from './sample-report.js';

const [critical, medium, info] = SAMPLE_FINDINGS as [
  (typeof SAMPLE_FINDINGS)[0],
  (typeof SAMPLE_FINDINGS)[0],
  (typeof SAMPLE_FINDINGS)[0],
];

describe('decideGateResult', () => {
  it.each([
    ['no drift', [], 'high', 'fail', true, 'Succeeded', 'PASSED', ['GateNoDrift']],
    [
      'drift below the threshold',
      [medium],
      'high',
      'fail',
      true,
      'SucceededWithIssues',
      'PASSED WITH ISSUES',
      ['GateDriftBelow'],
    ],
    [
      'drift above the threshold',
      [critical, medium],
      'high',
      'fail',
      true,
      'Failed',
      'FAILED',
      ['GateDriftAbove'],
    ],
    [
      'drift at the threshold',
      [medium],
      'medium',
      'fail',
      true,
      'Failed',
      'FAILED',
      ['GateDriftAbove'],
    ],
    [
      'drift above the threshold in warn mode',
      [critical],
      'high',
      'warn',
      true,
      'SucceededWithIssues',
      'WARNING',
      ['GateDriftAbove', 'GateWarnOnly'],
    ],
    [
      'an incomplete collection without drift',
      [],
      'high',
      'fail',
      false,
      'SucceededWithIssues',
      'PASSED WITH ISSUES',
      ['GateNoDrift', 'GateIncomplete'],
    ],
    [
      'an incomplete collection with drift above',
      [critical, info],
      'high',
      'fail',
      false,
      'Failed',
      'FAILED',
      ['GateDriftAbove', 'GateIncomplete'],
    ],
  ] as const)('%s → %s', (_case, findings, failOn, mode, complete, result, verdict, keys) => {
    const report = sampleReport([...findings], complete);

    const decision = decideGateResult(report, {
      failOn,
      mode,
      unreadable: ['/subscriptions/x: 403'],
    });

    expect(decision.result).toBe(result);
    expect(decision.verdict).toBe(verdict);
    expect(decision.messages.map((m) => m.key)).toEqual(keys);
  });

  it('splits findings at the threshold and says what could not be read', () => {
    const decision = decideGateResult(sampleReport(SAMPLE_FINDINGS, false), {
      failOn: 'medium',
      mode: 'fail',
      unreadable: ['a: 403', 'b: 403', 'c: 403', 'd: 403', 'e: 403', 'f: 403', 'g: 403'],
    });

    expect(decision.above.map((f) => f.resourceName)).toEqual(['nsg-web-prod', 'stprodlogs01']);
    // The unreadable resource is not drift: it makes the run incomplete instead.
    expect(decision.below).toEqual([]);
    expect(decision.messages).toEqual([
      { key: 'GateDriftAbove', args: [2, 'medium', 'prod', 'critical'] },
      { key: 'GateIncomplete', args: ['a: 403; b: 403; c: 403; d: 403; e: 403; and 2 more'] },
    ]);
  });
});
