import { abortableSleep } from '../resilience/abortable-sleep.js';

/** Monotonic milliseconds and an abortable sleep, injected so pacing tests use fake timers. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Wall time via `performance.now()` and `setTimeout`. */
export const systemPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: abortableSleep,
};
