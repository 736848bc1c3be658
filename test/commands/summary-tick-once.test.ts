import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveSubscription, subscriptionId } from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';
import { openStore } from '../../core/store/open-store.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { runTogether } from '../support/run-together.js';
import { NOW } from './fake-drift.js';

const RUNS = 4;

/** Runs the same tick in `RUNS` processes at once; resolves with what each said. */
function runTick(child: string, args: Record<string, string>) {
  return runTogether<{ outcome: string; posted: string[] }>(
    child,
    Array.from({ length: RUNS }, () => ({ args: [JSON.stringify(args)] })),
    'tick process',
  );
}

/**
 * BullMQ can hand one scheduled tick to two replicas: the job of a replica that was killed, or
 * whose lock lapsed while Redis was away (the bot soak's 30 s outage), goes back to the queue
 * while the first run may still finish. Whichever run claims the tick first posts; the others
 * post nothing, however many processes run it at once.
 */
describeWithRedis('one scheduled tick run by several replicas at once', () => {
  const namespace = `dwtest-tick-once-${randomBytes(4).toString('hex')}`;
  const id = subscriptionId('slack', 'C0PROD', 'prod');
  let child: string;

  beforeAll(async () => {
    child = await buildTestChild('test/commands/run-tick-child.ts');
    const store = await openStore({ redisUrl: REDIS_URL, namespace });
    await saveSubscription(store, {
      id,
      chat: 'slack',
      conversation: 'C0PROD',
      scope: 'prod',
      schedule: parseSchedule('daily 09:00', 'UTC'),
      minSeverity: 'low',
      allClear: true,
      createdBy: 'UADMIN1',
      createdAt: NOW,
    });
    await store.close();
  });
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('posts its summary once; the next tick (another id) posts again', async () => {
    const first = await runTick(child, {
      redisUrl: REDIS_URL,
      namespace,
      subscriptionId: id,
      tickId: 'repeat:a:1',
    });
    const again = await runTick(child, {
      redisUrl: REDIS_URL,
      namespace,
      subscriptionId: id,
      tickId: 'repeat:a:1',
    });
    const next = await runTick(child, {
      redisUrl: REDIS_URL,
      namespace,
      subscriptionId: id,
      tickId: 'repeat:a:2',
    });

    const outcomes = (runs: Array<{ outcome: string }>) => runs.map((r) => r.outcome).sort();
    expect(outcomes(first)).toEqual([
      'already-posted',
      'already-posted',
      'already-posted',
      'changed',
    ]);
    expect(first.flatMap((r) => r.posted)).toEqual(['Drift in prod · 1 critical']);
    expect(outcomes(again)).toEqual([
      'already-posted',
      'already-posted',
      'already-posted',
      'already-posted',
    ]);
    expect(again.flatMap((r) => r.posted)).toEqual([]);
    expect(outcomes(next)).toEqual([
      'all-clear',
      'already-posted',
      'already-posted',
      'already-posted',
    ]);
    expect(next.flatMap((r) => r.posted)).toHaveLength(1);
  }, 60_000);
});
