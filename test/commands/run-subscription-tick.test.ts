import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import type { Report } from '../../core/model/report.js';
import { saveSubscription, subscriptionId } from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';
import { runSubscriptionTick } from '../../core/schedule/run-subscription-tick.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeConfig, fakeFinding, fakeReport, fakeScanner, fakeStore, NOW } from './fake-drift.js';

// core/schedule's tests live with the command layer's (this test paths).
describe('runSubscriptionTick', () => {
  let store: DriftStore;
  let posted: ChatMessage[];
  const id = subscriptionId('slack', 'C1', 'prod');
  const a = fakeFinding('nsg-a', 'critical');
  const b = fakeFinding('st-b', 'high');
  const c = fakeFinding('vm-c', 'low');

  beforeEach(async () => {
    store = await fakeStore();
    posted = [];
  });
  afterEach(() => store.close());

  async function subscribe(options: { allClear?: boolean; minSeverity?: 'low' | 'high' } = {}) {
    await saveSubscription(store, {
      id,
      chat: 'slack',
      conversation: 'C1',
      scope: 'prod',
      schedule: parseSchedule('daily 09:00', 'UTC'),
      minSeverity: options.minSeverity ?? 'low',
      allClear: options.allClear ?? false,
      createdBy: 'UADMIN1',
      createdAt: NOW,
    });
  }

  async function ticks(reports: Report[]) {
    const { scan } = fakeScanner(store, { prod: [...reports] });
    const outcomes = [];
    for (let i = 0; i < reports.length; i += 1) {
      const { outcome } = await runSubscriptionTick({
        subscriptionId: id,
        store,
        config: fakeConfig(),
        clock: fixedClock(NOW),
        scan,
        post: async (_s, message) => void posted.push(message),
      });
      outcomes.push(outcome);
    }
    return outcomes;
  }

  it('posts on the first drift, stays quiet while nothing changes, and posts new and resolved', async () => {
    await subscribe();

    const outcomes = await ticks([
      fakeReport('prod', [a, b]),
      fakeReport('prod', [a, b]),
      fakeReport('prod', [a, c]),
    ]);

    expect(outcomes).toEqual(['changed', 'unchanged', 'changed']);
    expect(posted).toHaveLength(2);
    expect(posted[1]?.blocks[0]).toEqual({
      kind: 'facts',
      facts: [
        { label: 'New since 09:00', value: '1' },
        { label: 'Resolved', value: '1' },
        { label: 'Still open', value: '1' },
        { label: 'Scanned', value: '1,214 resources in 38 s' },
      ],
    });
  });

  it('posts nothing for a clean estate unless the all-clear digest was asked for', async () => {
    await subscribe();
    expect(await ticks([fakeReport('prod', []), fakeReport('prod', [])])).toEqual([
      'unchanged',
      'unchanged',
    ]);

    await subscribe({ allClear: true });
    expect(await ticks([fakeReport('prod', [])])).toEqual(['all-clear']);
    expect(posted.map((m) => m.header)).toEqual(['No drift in prod']);
  });

  it('ignores findings below the subscription floor', async () => {
    await subscribe({ minSeverity: 'high' });

    const outcomes = await ticks([fakeReport('prod', [a]), fakeReport('prod', [a, c])]);

    expect(outcomes).toEqual(['changed', 'unchanged']);
  });

  it('does not call anything resolved when the scan was incomplete', async () => {
    await subscribe();

    const outcomes = await ticks([
      fakeReport('prod', [a, b]),
      fakeReport('prod', [a], false),
      fakeReport('prod', [a, b]),
    ]);

    expect(outcomes).toEqual(['changed', 'unchanged', 'unchanged']);
  });

  it('reports a removed subscription as gone without scanning', async () => {
    const { scan, calls } = fakeScanner(store, {});

    const { outcome } = await runSubscriptionTick({
      subscriptionId: 'slack:C1:nothing',
      store,
      config: fakeConfig(),
      clock: fixedClock(NOW),
      scan,
      post: async () => undefined,
    });

    expect(outcome).toBe('gone');
    expect(calls).toEqual([]);
  });

  it('says a failing scan once, stays quiet while it keeps failing, and says when it works again', async () => {
    await subscribe();
    const report = fakeReport('prod', [a]);
    const results = [
      new Error('token expired: Bearer abcdefghijk'),
      new Error('token expired: Bearer abcdefghijk'),
      report,
      report,
    ];
    const scan = async () => {
      const next = results.shift();
      if (next instanceof Error) throw next;
      return { report: next as Report, reportId: (await store.saveReport(next as Report)).id };
    };
    const tick = () =>
      runSubscriptionTick({
        subscriptionId: id,
        store,
        config: fakeConfig(),
        clock: fixedClock(NOW),
        scan,
        post: async (_s, message) => void posted.push(message),
      });

    const outcomes = [await tick(), await tick(), await tick(), await tick()];

    expect(outcomes).toEqual([
      { outcome: 'failed', error: 'token expired: Bearer ***' },
      { outcome: 'failed', error: 'token expired: Bearer ***' },
      { outcome: 'changed' },
      { outcome: 'unchanged' },
    ]);
    expect(posted.map((m) => m.text)).toEqual([
      'Scheduled scan of prod failed: token expired: Bearer ***',
      'Drift in prod · 1 critical',
    ]);
  });

  it('says scans work again when nothing changed meanwhile', async () => {
    await subscribe();
    const report = fakeReport('prod', [a]);
    const results: Array<Report | Error> = [report, new Error('ARM 503'), report];
    const scan = async () => {
      const next = results.shift();
      if (next instanceof Error) throw next;
      return { report: next as Report, reportId: (await store.saveReport(next as Report)).id };
    };
    const tick = async () =>
      (
        await runSubscriptionTick({
          subscriptionId: id,
          store,
          config: fakeConfig(),
          clock: fixedClock(NOW),
          scan,
          post: async (_s, message) => void posted.push(message),
        })
      ).outcome;

    expect([await tick(), await tick(), await tick()]).toEqual(['changed', 'failed', 'recovered']);
    expect(posted.at(-1)?.text).toBe(
      'Scheduled scans of prod work again; nothing changed since the last summary.',
    );
  });
});
