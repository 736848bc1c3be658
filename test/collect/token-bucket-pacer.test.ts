import { describe, expect, it } from 'vitest';
import { type PacerTicket, TokenBucketPacer } from '../../core/collect/token-bucket-pacer.js';
import { fakePacerClock } from './fake-pacer-clock.js';

const SHAPE = { burst: 5, refillPerSecond: 10 };

describe('TokenBucketPacer', () => {
  it('lets the burst through at once, then spaces requests at a fifth of the documented refill until answers show it', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer(SHAPE, clock);
    const burst = await Promise.all([1, 2, 3, 4, 5].map(() => pacer.acquire('sub')));
    for (const ticket of burst) ticket.settle();

    const sixth = pacer.acquire('sub');
    const seventh = pacer.acquire('sub');
    await clock.advance(500);
    const six = await sixth;
    six.settle();
    await clock.advance(500);

    expect(burst.map((t) => t.waitedMs)).toEqual([0, 0, 0, 0, 0]);
    expect(six.waitedMs).toBe(500);
    expect((await seventh).waitedMs).toBe(1000);
  });

  it('keeps a margin of tokens in hand', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer({ ...SHAPE, marginTokens: 2 }, clock);
    const granted: number[] = [];

    for (let i = 0; i < 4; i++) void pacer.acquire('sub').then(() => granted.push(i));
    await clock.advance(0);

    expect(granted).toEqual([0, 1, 2]);
  });

  it("lowers its mirror to the server's remaining reads, minus requests sent after", async () => {
    const pacer = new TokenBucketPacer({ burst: 250, refillPerSecond: 25 }, fakePacerClock());
    const first = await pacer.acquire('sub');
    await pacer.acquire('sub');
    await pacer.acquire('sub');

    first.settle(10);

    // 10 left at the server when the first arrived, two sent since: 8.
    expect(pacer.tokens('sub')).toBe(8);
  });

  it('does not refill past what the server can hold while requests are in flight', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer(SHAPE, clock);
    const tickets = await Promise.all([1, 2, 3].map(() => pacer.acquire('sub')));

    await clock.advance(10_000);

    expect(pacer.tokens('sub')).toBe(2);
    // The answered request reached a full bucket (5 − 1); two more are still on their way.
    tickets[0]?.settle();
    expect(pacer.tokens('sub')).toBe(2);
    await clock.advance(500);
    expect(pacer.tokens('sub')).toBe(3);
  });

  it('empties the bucket after a 429, halves the refill it assumes, and keeps keys apart', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer(SHAPE, clock);
    (await pacer.acquire('a')).settle();

    pacer.exhausted('a');

    expect(pacer.tokens('a')).toBe(0);
    expect(pacer.tokens('b')).toBe(5);
    expect(pacer.refillPerSecond('a')).toBe(1);
    expect(pacer.refillPerSecond('b')).toBe(2);
    await clock.advance(300);
    expect(pacer.tokens('a')).toBe(0.3);
  });

  it('after a 429 with Retry-After, lets the next request go when the server said', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer({ ...SHAPE, marginTokens: 1 }, clock);
    (await pacer.acquire('a')).settle();

    pacer.exhausted('a', 400);
    const next = pacer.acquire('a');
    await clock.advance(400);

    expect((await next).waitedMs).toBe(400);
  });

  it.each([
    ['a fifth of', 2],
    ['a tenth of', 1],
    ['all of', 10],
  ])(
    'paces to a refill of %s the documented one, drawing no 429 and using at least 80 % of it',
    async (_share, serverRefill) => {
      const clock = fakePacerClock();
      const pacer = new TokenBucketPacer(
        { burst: 10, refillPerSecond: 10, marginTokens: 2 },
        clock,
      );
      const server = fakeServerBucket({ burst: 10, refillPerSecond: serverRefill }, clock.now);
      let throttled = 0;

      for (let i = 0; i < 80; i++) {
        let granted: PacerTicket | undefined;
        void pacer.acquire('sub').then((t) => {
          granted = t;
        });
        while (!granted) await clock.advance(5);
        await clock.advance(20); // the request's latency
        const answer = server.take();
        if (answer === undefined) {
          throttled += 1;
          granted.settle();
          pacer.exhausted('sub', 1_000);
        } else granted.settle(answer);
      }

      // The fastest the server allows: the burst, then the refill (or the latency, if slower).
      const floorMs = Math.max(80 * 25, ((80 - 10) / serverRefill) * 1000);
      expect(throttled).toBe(0);
      expect(clock.now()).toBeLessThanOrEqual(floorMs / 0.8);
    },
  );

  it('drops a queued caller that is aborted', async () => {
    const pacer = new TokenBucketPacer({ burst: 1, refillPerSecond: 1 }, fakePacerClock());
    await pacer.acquire('sub');
    const controller = new AbortController();

    const waiting = pacer.acquire('sub', controller.signal);
    controller.abort(new Error('stop'));

    await expect(waiting).rejects.toThrow('stop');
  });
});

/** ARM's bucket as the server keeps it: whole tokens left after a take, or undefined for a 429. */
function fakeServerBucket(shape: { burst: number; refillPerSecond: number }, now: () => number) {
  let tokens = shape.burst;
  let at = now();
  return {
    take(): number | undefined {
      tokens = Math.min(shape.burst, tokens + ((now() - at) / 1000) * shape.refillPerSecond);
      at = now();
      if (tokens < 1) return undefined;
      tokens -= 1;
      return Math.floor(tokens);
    },
  };
}
