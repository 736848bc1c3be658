import { describe, expect, it } from 'vitest';
import { TokenBucketPacer } from '../../core/collect/token-bucket-pacer.js';
import { fakePacerClock } from './fake-pacer-clock.js';

const SHAPE = { burst: 5, refillPerSecond: 10 };

describe('TokenBucketPacer', () => {
  it('lets the burst through at once, then spaces requests at the refill rate', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer(SHAPE, clock);
    const burst = await Promise.all([1, 2, 3, 4, 5].map(() => pacer.acquire('sub')));
    for (const ticket of burst) ticket.settle();

    const sixth = pacer.acquire('sub');
    const seventh = pacer.acquire('sub');
    await clock.advance(100);
    const six = await sixth;
    six.settle();
    await clock.advance(100);

    expect(burst.map((t) => t.waitedMs)).toEqual([0, 0, 0, 0, 0]);
    expect(six.waitedMs).toBe(100);
    expect((await seventh).waitedMs).toBe(200);
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
    await clock.advance(100);
    expect(pacer.tokens('sub')).toBe(3);
  });

  it('empties the bucket after a 429 and keeps keys apart', async () => {
    const clock = fakePacerClock();
    const pacer = new TokenBucketPacer(SHAPE, clock);
    (await pacer.acquire('a')).settle();

    pacer.exhausted('a');

    expect(pacer.tokens('a')).toBe(0);
    expect(pacer.tokens('b')).toBe(5);
    await clock.advance(300);
    expect(pacer.tokens('a')).toBe(3);
  });

  it('drops a queued caller that is aborted', async () => {
    const pacer = new TokenBucketPacer({ burst: 1, refillPerSecond: 1 }, fakePacerClock());
    await pacer.acquire('sub');
    const controller = new AbortController();

    const waiting = pacer.acquire('sub', controller.signal);
    controller.abort(new Error('stop'));

    await expect(waiting).rejects.toThrow('stop');
  });
});
