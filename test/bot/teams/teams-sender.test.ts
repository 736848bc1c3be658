import { describe, expect, it } from 'vitest';
import { TeamsSender } from '../../../bot/teams/teams-sender.js';

/** An error shaped as botbuilder's connector client throws it (core-rest-pipeline RestError). */
function connectorError(statusCode: number, retryAfter?: string) {
  const headers = new Map(retryAfter ? [['retry-after', retryAfter]] : []);
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { status: statusCode, headers: { get: (name: string) => headers.get(name) } },
  });
}

function fakeSender(options: { minIntervalMs?: number; maxRetries?: number } = {}) {
  let now = 1_000_000;
  const waits: [number, string][] = [];
  const calls: [string, string][] = [];
  const sender = new TeamsSender({
    ...options,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.25,
    onWait: (ms, reason) => waits.push([ms, reason]),
    onCall: (operation, outcome) => calls.push([operation, outcome]),
  });
  return { sender, waits, calls, advance: (ms: number) => (now += ms) };
}

/** A call that fails with `errors` in turn, then succeeds. */
function failing(...errors: Error[]) {
  let attempts = 0;
  const work = async () => {
    attempts += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'id-1';
  };
  return { work, attempts: () => attempts };
}

describe('TeamsSender', () => {
  it.each([
    ['429 with Retry-After in seconds', connectorError(429, '3'), [3000, 'retry-after']],
    [
      '429 with Retry-After as a date',
      connectorError(429, new Date(1_000_000 + 5000).toUTCString()),
      [5000, 'retry-after'],
    ],
    ['412 with backoff', connectorError(412), [125, 'backoff']],
    ['502 with backoff', connectorError(502), [125, 'backoff']],
    ['504 with backoff', connectorError(504), [125, 'backoff']],
  ])('retries %s, then returns what the call returned', async (_name, error, wait) => {
    const { sender, waits, calls } = fakeSender({ minIntervalMs: 0 });
    const call = failing(error);

    const result = await sender.send('19:c@thread.tacv2', 'sendToConversation', call.work);

    expect(result).toBe('id-1');
    expect(call.attempts()).toBe(2);
    expect(waits).toEqual([wait]);
    expect(calls).toEqual([
      ['sendToConversation', 'retried'],
      ['sendToConversation', 'ok'],
    ]);
  });

  it('backs off exponentially with full jitter, capped at 30 s', async () => {
    const { sender, waits } = fakeSender({ minIntervalMs: 0, maxRetries: 8 });
    const call = failing(...Array.from({ length: 8 }, () => connectorError(502)));

    await sender.send('c', 'op', call.work);

    // 0.25 × min(30 s, 500 ms · 2^n)
    expect(waits.map(([ms]) => ms)).toEqual([125, 250, 500, 1000, 2000, 4000, 7500, 7500]);
  });

  it('throws at once what is not worth retrying (403, 404, 413, 500)', async () => {
    const { sender, waits } = fakeSender({ minIntervalMs: 0 });
    for (const status of [403, 404, 413, 500]) {
      const call = failing(connectorError(status));
      await expect(sender.send('c', 'op', call.work)).rejects.toMatchObject({ statusCode: status });
      expect(call.attempts()).toBe(1);
    }
    expect(waits).toEqual([]);
  });

  it('gives up after its retries and throws the last error', async () => {
    const { sender } = fakeSender({ minIntervalMs: 0, maxRetries: 2 });
    const call = failing(
      connectorError(429, '1'),
      connectorError(429, '1'),
      connectorError(429, '1'),
    );

    await expect(sender.send('c', 'op', call.work)).rejects.toMatchObject({ statusCode: 429 });
    expect(call.attempts()).toBe(3);
  });

  it('paces one conversation (its threads included) and leaves others alone', async () => {
    const { sender, waits } = fakeSender({ minIntervalMs: 1000 });
    const ok = async () => 'ok';

    await sender.send('19:a@thread.tacv2', 'op', ok);
    await sender.send('19:a@thread.tacv2;messageid=1', 'op', ok);
    await sender.send('19:b@thread.tacv2', 'op', ok);

    expect(waits).toEqual([[1000, 'pace']]);
  });
});
