import type { CollectStats } from './collect-stats.js';

/**
 * Accumulates `paceWaitMs` as wall-clock time during which at least one request was held back
 * by a pacer — not the sum of every request's wait: sixteen requests held together for 1 s are
 * 1 s paced, not 16 s. `paceWaits` counts the requests held.
 *
 * @example
 * const paced = trackPacedTime(stats, () => performance.now());
 * const done = paced.begin();
 * await pacer.acquire(key);
 * done();
 */
export function trackPacedTime(stats: CollectStats, now: () => number) {
  let waiting = 0;
  let since = 0;
  return {
    /** A request starts waiting for the pacer; call the result when it may go. */
    begin(): () => void {
      if (waiting === 0) since = now();
      waiting += 1;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        waiting -= 1;
        if (waiting === 0) stats.paceWaitMs += now() - since;
      };
    },
  };
}
