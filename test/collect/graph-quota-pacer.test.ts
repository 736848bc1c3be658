import { describe, expect, it } from 'vitest';
import { GraphQuotaPacer, parseResetsAfter } from '../../core/collect/graph-quota-pacer.js';
import { fakePacerClock } from './fake-pacer-clock.js';

describe('parseResetsAfter', () => {
  it.each([
    ['00:00:05', 5_000],
    ['00:00:03', 3_000],
    ['00:01:00', 60_000],
    ['01:00:00', 3_600_000],
    ['00:00:02.5', 2_500],
    ['5', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseResetsAfter(value)).toBe(expected);
  });
});

describe('GraphQuotaPacer', () => {
  it('sends freely until the quota says none is left, then waits for the reset', async () => {
    const clock = fakePacerClock();
    const pacer = new GraphQuotaPacer(clock);
    expect(await pacer.acquire()).toBe(0);
    pacer.observe('1', '00:00:04');
    expect(await pacer.acquire()).toBe(0);

    const waiting = pacer.acquire();
    await clock.advance(4_000);

    expect(await waiting).toBe(4_000);
    expect(clock.sleeps).toEqual([4_000]);
  });

  it('ignores responses without the quota headers', async () => {
    const clock = fakePacerClock();
    const pacer = new GraphQuotaPacer(clock);

    pacer.observe(undefined, undefined);

    expect(await pacer.acquire()).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('after a 429 waits for the announced reset', async () => {
    const clock = fakePacerClock();
    const pacer = new GraphQuotaPacer(clock);
    pacer.observe('0', '00:00:02');
    pacer.exhausted();

    const waiting = pacer.acquire();
    await clock.advance(2_000);

    expect(await waiting).toBe(2_000);
  });
});
