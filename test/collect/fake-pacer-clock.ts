import type { PacerClock } from '../../core/collect/pacer-clock.js';

/** A pacer clock whose sleeps resolve only when the test advances time. */
export function fakePacerClock() {
  let now = 0;
  const sleepers: Array<{ until: number; resolve: () => void }> = [];
  const clock: PacerClock & { advance(ms: number): Promise<void>; sleeps: number[] } = {
    sleeps: [],
    now: () => now,
    sleep(ms) {
      clock.sleeps.push(ms);
      return new Promise<void>((resolve) => sleepers.push({ until: now + ms, resolve }));
    },
    async advance(ms) {
      now += ms;
      for (const s of sleepers.filter((x) => x.until <= now + 1e-9)) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.resolve();
      }
      await Promise.resolve();
    },
  };
  return clock;
}
