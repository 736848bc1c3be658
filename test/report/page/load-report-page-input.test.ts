import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock.js';
import { PlanRepository } from '../../../core/remediate/plan-repository.js';
import type { RemediationPlan } from '../../../core/remediate/remediation-plan.js';
import { loadReportPageInput } from '../../../core/report/page/load-report-page-input.js';
import { addChatIgnoreRule } from '../../../core/store/chat-ignore-rules.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import { openStore } from '../../../core/store/open-store.js';
import { buildPageReport } from './build-page-report.js';

const clock = fixedClock('2026-11-27T10:00:00Z');

describe('loadReportPageInput', () => {
  let store: DriftStore;
  afterEach(async () => {
    await store?.close();
  });

  it("gathers the report, its scope's trend and each finding's accept, ignore and remediation history", async () => {
    store = await openStore({ memory: true, clock });
    await store.saveReport(buildPageReport({ count: 3, scope: 'other' }));
    for (const [i, at] of ['2026-11-24T09:00:00Z', '2026-11-25T09:00:00Z'].entries())
      await store.saveReport(buildPageReport({ count: 4 - i, generatedAt: at }));
    const report = buildPageReport({ count: 3, generatedAt: '2026-11-26T09:00:00Z' });
    const ref = await store.saveReport(report);
    const [first, second] = report.findings as [
      (typeof report.findings)[0],
      (typeof report.findings)[0],
    ];
    await store.accept({
      scope: 'prod',
      fingerprint: first.fingerprint,
      by: 'alice',
      reason: 'CHG-7',
      at: '2026-11-26T10:00:00Z',
    });
    await addChatIgnoreRule(
      store,
      'prod',
      {
        id: second.resourceId,
        path: 'tags.owner',
        owner: 'U024BE7LH',
        reason: 'migration',
        expires: '2026-12-31',
      },
      new Date('2026-11-26T11:00:00Z'),
    );
    await new PlanRepository(store, clock).create({
      id: 'a1b2c3d4e5f6',
      version: 1,
      writeId: 'w',
      scope: 'prod',
      strategy: 'revert',
      findings: [second.fingerprint],
      resources: [
        {
          resourceId: second.resourceId,
          resourceType: second.resourceType,
          change: 'modified',
          fingerprint: second.fingerprint,
          paths: ['tags.owner'],
        },
      ],
      requests: [],
      requester: 'slack:U1',
      createdAt: '2026-11-26T12:00:00Z',
      expiresAt: '2026-11-27T12:00:00Z',
      state: 'approved',
      approvalsRequired: 1,
      decisions: [],
      history: [
        { state: 'pending', at: '2026-11-26T12:00:00Z', by: 'slack:U1' },
        { state: 'approved', at: '2026-11-26T12:05:00Z', by: 'slack:U2', note: 'looks right' },
      ],
    } satisfies RemediationPlan);

    const input = await loadReportPageInput(store, ref.id.slice(0, 6), { clock });

    expect(input?.reportId).toBe(ref.id);
    expect(input?.trend?.points.map((p) => [p.at, p.findings])).toEqual([
      ['2026-11-24T09:00:00Z', 4],
      ['2026-11-25T09:00:00Z', 3],
      ['2026-11-26T09:00:00Z', 3],
    ]);
    expect(input?.events).toEqual({
      [first.fingerprint]: [
        { kind: 'accepted', at: '2026-11-26T10:00:00Z', by: 'alice', text: 'accepted: CHG-7' },
      ],
      [second.fingerprint]: [
        {
          kind: 'ignored',
          at: '2026-11-26T11:00:00.000Z',
          by: 'U024BE7LH',
          text: 'ignore tags.owner until 2026-12-31: migration',
        },
        {
          kind: 'remediation',
          at: '2026-11-26T12:00:00Z',
          by: 'slack:U1',
          text: 'revert plan a1b2c3d4e5f6: pending',
        },
        {
          kind: 'remediation',
          at: '2026-11-26T12:05:00Z',
          by: 'slack:U2',
          text: 'revert plan a1b2c3d4e5f6: approved (looks right)',
        },
      ],
    });
  });

  it('is undefined for a report id the store does not have', async () => {
    store = await openStore({ memory: true, clock });

    expect(await loadReportPageInput(store, 'ffffffff', { clock })).toBeUndefined();
  });
});
