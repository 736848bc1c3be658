import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import {
  followScanProgress,
  type ScanProgressBoard,
} from '../../core/commands/follow-scan-progress.js';

/** A clock the test moves by hand. */
function fakeClock(startMs = 0) {
  let now = startMs;
  const clock: Clock = { now: () => new Date(now) };
  const advance = (ms: number) => {
    now += ms;
  };
  return { clock, advance };
}

/** A board that records what was posted and updated, like a chat would show it. */
function fakeBoard(pacing: Pick<ScanProgressBoard, 'afterMs' | 'everyMs'>, failPost = false) {
  const seen: string[] = [];
  const errors: string[] = [];
  const board: ScanProgressBoard = {
    ...pacing,
    async post(message) {
      if (failPost) throw new Error('not_in_channel');
      seen.push(`post ${message.text}`);
      return { conversation: 'C0PROD', id: '1.0001' };
    },
    async update(posted, message) {
      seen.push(`update ${posted.id} ${message.text}`);
    },
    onError: (error) => void errors.push((error as Error).message),
  };
  return { board, seen, errors };
}

const at = (done: number, total?: number, errors = 0) => ({
  phase: 'reading',
  done,
  errors,
  ...(total !== undefined ? { total } : {}),
});

describe('followScanProgress', () => {
  it('posts after afterMs, updates at most every everyMs with the latest count, then says how it ended', async () => {
    const { clock, advance } = fakeClock();
    const { board, seen } = fakeBoard({ afterMs: 3_000, everyMs: 5_000 });
    const followed = followScanProgress('prod', board, clock);

    followed.onProgress(at(100));
    advance(3_000);
    followed.onProgress(at(4_000, 50_000));
    advance(1_000);
    followed.onProgress(at(9_000, 50_000));
    advance(4_000);
    followed.onProgress(at(31_400, 50_000, 2));
    await followed.finish({ resources: 50_000, durationMs: 38_000 });

    expect(seen).toEqual([
      'post Scanning prod · collected 4,000 / 50,000',
      'update 1.0001 Scanning prod · collected 31,400 / 50,000 · 2 unreadable so far',
      'update 1.0001 Scanned prod: 50,000 resources in 38 s.',
    ]);
  });

  it('a scan that ends before afterMs posts nothing', async () => {
    const { clock, advance } = fakeClock();
    const { board, seen } = fakeBoard({ afterMs: 3_000, everyMs: 5_000 });
    const followed = followScanProgress('prod', board, clock);

    followed.onProgress(at(10, 12));
    advance(2_999);
    followed.onProgress(at(12, 12));
    await followed.finish({ resources: 12, durationMs: 2_999 });

    expect(seen).toEqual([]);
  });

  it('a failed scan leaves its last count and says it did not finish', async () => {
    const { clock } = fakeClock();
    const { board, seen } = fakeBoard({ afterMs: 0, everyMs: 0 });
    const followed = followScanProgress('prod', board, clock);

    followed.onProgress(at(700, 1_214));
    await followed.finish({ failed: true });

    expect(seen).toEqual([
      'post Scanning prod · collected 700 / 1,214',
      'update 1.0001 Scan of prod did not finish (collected 700 / 1,214).',
    ]);
  });

  it('a post the chat refuses is reported once and never fails the scan', async () => {
    const { clock } = fakeClock();
    const { board, seen, errors } = fakeBoard({ afterMs: 0, everyMs: 0 }, true);
    const followed = followScanProgress('prod', board, clock);

    followed.onProgress(at(1));
    followed.onProgress(at(2));
    await followed.finish({ resources: 2 });

    expect(seen).toEqual([]);
    expect(errors).toEqual(['not_in_channel']);
  });
});
