import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatProgressLine } from '../../cli/output/progress.js';

function fakeStream(tty: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY: tty, columns: 120 },
  );
  return { stream, chunks };
}

describe('formatProgressLine', () => {
  it.each([
    [
      { done: 812, total: 1214, counters: { throttled: 3 } },
      41,
      10,
      'collecting ▕████████░░░░▏ 812/1,214 · 41/s · throttled 3× · ETA 10s',
    ],
    [{ done: 0, total: 50_000 }, 0, undefined, 'collecting ▕░░░░░░░░░░░░▏ 0/50,000 · 0/s'],
    [
      { done: 1500, counters: { throttled: 0, paced: '12s' } },
      250.4,
      undefined,
      'collecting 1,500 · 250/s · paced 12s',
    ],
    [{ done: 4000, total: 5000 }, 25, 40, 'collecting ▕██████████░░▏ 4,000/5,000 · 25/s · ETA 40s'],
    [{ done: 10, total: 5000 }, 25, 199.2, 'collecting ▕░░░░░░░░░░░░▏ 10/5,000 · 25/s · ETA 3m20s'],
  ])('%o', (update, rate, eta, expected) => {
    expect(formatProgressLine('collecting', update, rate, eta)).toBe(expected);
  });
});

describe('createProgressReporter', () => {
  it('redraws one line on a TTY at most every 100 ms and clears it at the end', () => {
    let now = 0;
    const { stream, chunks } = fakeStream(true);
    const progress = createProgressReporter({ stream, label: 'collecting', now: () => now });

    now = 1000;
    progress.update({ done: 10, total: 20 });
    now = 1050;
    progress.update({ done: 11, total: 20 });
    now = 2000;
    progress.update({ done: 20, total: 20, counters: { throttled: 1 } });
    progress.finish();

    expect(chunks).toEqual([
      '\rcollecting ▕██████░░░░░░▏ 10/20 · 10/s · ETA 1s\x1b[K',
      '\rcollecting ▕████████████▏ 20/20 · 10/s · throttled 1× · ETA 0s\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('writes a JSON log line every interval when not a TTY, and a last one at the end', () => {
    let now = 0;
    const { stream, chunks } = fakeStream(false);
    const progress = createProgressReporter({
      stream,
      label: 'collecting',
      now: () => now,
      logIntervalMs: 5_000,
    });

    now = 1_000;
    progress.update({ done: 100, total: 1000 });
    now = 2_000;
    progress.update({ done: 200, total: 1000 });
    now = 10_000;
    progress.update({ done: 1000, total: 1000, counters: { throttled: 2, retries: 0 } });
    progress.finish();

    expect(chunks.map((c) => JSON.parse(c))).toEqual([
      {
        msg: 'progress',
        label: 'collecting',
        done: 100,
        total: 1000,
        ratePerSecond: 100,
        etaSeconds: 9,
      },
      {
        msg: 'progress',
        label: 'collecting',
        done: 1000,
        total: 1000,
        ratePerSecond: 100,
        etaSeconds: 0,
        throttled: 2,
      },
      {
        msg: 'progress',
        label: 'collecting',
        done: 1000,
        total: 1000,
        ratePerSecond: 100,
        etaSeconds: 0,
        throttled: 2,
      },
    ]);
  });

  it('says nothing when nothing happened', () => {
    const { stream, chunks } = fakeStream(false);

    createProgressReporter({ stream, label: 'collecting' }).finish();

    expect(chunks).toEqual([]);
  });
});
