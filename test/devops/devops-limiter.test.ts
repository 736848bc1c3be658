import { afterEach, describe, expect, it } from 'vitest';
import { maxInWindow } from '../../bench/devops/max-in-window.js';
import { createDevOpsLimiter, type DevOpsLimiter } from '../../core/devops/devops-limiter.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { fakeTime } from './devops-test-kit.js';

const uniqueId = () =>
  `driftwatch:test:limiter:${process.pid}:${Math.random().toString(36).slice(2)}`;

describe('createDevOpsLimiter', () => {
  const limiters: DevOpsLimiter[] = [];
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.stop()));
  });

  it('spaces request starts just over 60 000 / requestsPerMinute ms', async () => {
    const limiter = createDevOpsLimiter({ id: uniqueId(), requestsPerMinute: 3_000 });
    limiters.push(limiter);
    const starts: number[] = [];

    await Promise.all(
      Array.from({ length: 8 }, () => limiter.schedule(async () => starts.push(performance.now()))),
    );

    expect(limiter.spacingMs).toBe(21);
    // Timers fire a little early or late; the span over 7 gaps is what the budget guarantees.
    const span = (starts.at(-1) as number) - (starts[0] as number);
    expect(span).toBeGreaterThanOrEqual(7 * 21 - 5);
  });

  it('holds queued requests until a pause the server asked for has passed', async () => {
    const time = fakeTime('2026-11-21T12:00:00Z');
    const limiter = createDevOpsLimiter({
      id: uniqueId(),
      requestsPerMinute: 600_000,
      clock: time.clock,
      sleep: time.sleep,
    });
    limiters.push(limiter);

    limiter.pauseUntil(new Date('2026-11-21T12:00:30Z'));
    limiter.pauseUntil(new Date('2026-11-21T12:00:10Z'));
    const sentAt = await limiter.schedule(async () => time.clock.now().toISOString());

    expect(time.waits).toEqual([30_000]);
    expect(sentAt).toBe('2026-11-21T12:00:30.000Z');
  });
});

describe('createDevOpsLimiter after a pause', () => {
  it('spaces the requests it had already started instead of sending them all when the pause ends', async () => {
    const limiter = createDevOpsLimiter({ id: uniqueId(), requestsPerMinute: 3_000 });
    const sends: number[] = [];
    const send = async () => {
      sends.push(performance.now());
      // The first answer asks everyone to wait 300 ms, while the other jobs are already queued.
      if (sends.length === 1) limiter.pauseUntil(new Date(Date.now() + 300));
    };

    await Promise.all(Array.from({ length: 10 }, () => limiter.schedule(send))).finally(() =>
      limiter.stop(),
    );

    // 21 ms apart at 3,000/min: four starts in any 84 ms (one more allowed for a late timer).
    // Released together, the jobs started during the pause would all land in one such window.
    expect(maxInWindow(sends, 84)).toBeLessThanOrEqual(5);
    expect((sends[1] as number) - (sends[0] as number)).toBeGreaterThanOrEqual(295);
  });
});

describeWithRedis('createDevOpsLimiter clustered through Redis', () => {
  const limiters: DevOpsLimiter[] = [];
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.stop()));
  });

  it('keeps two limiters with the same id to one shared spacing', async () => {
    const id = uniqueId();
    const a = createDevOpsLimiter({ id, requestsPerMinute: 1_200, redisUrl: REDIS_URL });
    const b = createDevOpsLimiter({ id, requestsPerMinute: 1_200, redisUrl: REDIS_URL });
    limiters.push(a, b);
    const starts: number[] = [];
    const job = async () => {
      starts.push(performance.now());
    };

    await Promise.all([
      ...Array.from({ length: 6 }, () => a.schedule(job)),
      ...Array.from({ length: 6 }, () => b.schedule(job)),
    ]);

    starts.sort((x, y) => x - y);
    const span = (starts.at(-1) as number) - (starts[0] as number);
    // 12 starts 51 ms apart need at least 11 × 51 ms, whichever process sends them.
    expect(a.clustered).toBe(true);
    expect(span).toBeGreaterThanOrEqual(11 * 51 - 15);
  });

  it("applies a changed budget to the cluster instead of the first limiter's stored one", async () => {
    const id = uniqueId();
    const slow = createDevOpsLimiter({ id, requestsPerMinute: 60, redisUrl: REDIS_URL });
    limiters.push(slow);
    await slow.schedule(async () => undefined);
    const fast = createDevOpsLimiter({ id, requestsPerMinute: 3_000, redisUrl: REDIS_URL });
    limiters.push(fast);
    const starts: number[] = [];

    await Promise.all(
      Array.from({ length: 5 }, () => fast.schedule(async () => starts.push(performance.now()))),
    );

    // At the stored 60/min these would need 4 s; at 3,000/min about 84 ms.
    expect((starts.at(-1) as number) - (starts[0] as number)).toBeLessThan(1_000);
  });

  it('passes a Retry-After pause to every limiter in the cluster', async () => {
    const id = uniqueId();
    const time = fakeTime('2026-11-21T12:00:00Z');
    const a = createDevOpsLimiter({ id, requestsPerMinute: 600_000, redisUrl: REDIS_URL });
    const b = createDevOpsLimiter({
      id,
      requestsPerMinute: 600_000,
      redisUrl: REDIS_URL,
      clock: time.clock,
      sleep: time.sleep,
    });
    limiters.push(a, b);
    await b.schedule(async () => undefined);

    a.pauseUntil(new Date('2026-11-21T12:00:45Z'));
    await new Promise((done) => setTimeout(done, 150));
    await b.schedule(async () => undefined);

    expect(time.waits).toEqual([45_000]);
  });
});
