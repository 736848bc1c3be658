import { onAbort } from './on-abort.js';

/** Waits `ms` milliseconds; rejects with the signal's reason when aborted. Injected for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real timer-backed {@link Sleep}, shared by the ARM pacers and the Azure DevOps limiter.
 * Concurrent sleeps on one signal share one abort listener (see {@link onAbort}).
 */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
  });
