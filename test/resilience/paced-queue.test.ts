import { describe, expect, it } from 'vitest';
import { PacedQueue, type RetryStrategy } from '../../core/resilience/paced-queue.js';

function fakeQueue(minIntervalMs: number, retry: RetryStrategy = () => undefined) {
  let now = 1_000_000;
  const events: string[] = [];
  const queue = new PacedQueue({
    minIntervalMs,
    retry,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    onWait: (ms, reason) => events.push(`wait ${reason} ${ms}`),
    onCall: (operation, outcome) => events.push(`${operation} ${outcome}`),
  });
  return { queue, events };
}

const refused = Object.assign(new Error('busy'), { status: 429 });

describe('PacedQueue', () => {
  it('runs the calls of one key in order, one interval apart', async () => {
    const { queue, events } = fakeQueue(1000);

    const results = await Promise.all(['a', 'b', 'c'].map((x) => queue.run('k', x, async () => x)));

    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a ok', 'wait pace 1000', 'b ok', 'wait pace 1000', 'c ok']);
  });

  it('does not make one key wait for another', async () => {
    const { queue, events } = fakeQueue(1000);

    await Promise.all([queue.run('k1', 'a', async () => 1), queue.run('k2', 'b', async () => 2)]);

    expect(events).toEqual(['a ok', 'b ok']);
  });

  it('retries after the wait the strategy names, counting it towards the pace', async () => {
    const { queue, events } = fakeQueue(1000, (_e, attempt) =>
      attempt < 1 ? { ms: 300, reason: 'retry-after' } : undefined,
    );
    let calls = 0;

    const result = await queue.run('k', 'post', async () => {
      calls += 1;
      if (calls === 1) throw refused;
      return 'done';
    });

    expect(result).toBe('done');
    expect(events).toEqual(['post retried', 'wait retry-after 300', 'wait pace 700', 'post ok']);
  });

  it('throws what the strategy does not retry, and the next call of the key still runs', async () => {
    const { queue, events } = fakeQueue(0);

    const failed = queue.run('k', 'post', async () => {
      throw refused;
    });
    const next = queue.run('k', 'update', async () => 'ok');

    await expect(failed).rejects.toBe(refused);
    await expect(next).resolves.toBe('ok');
    expect(events).toEqual(['post error', 'update ok']);
  });
});
