/** Waits `ms` milliseconds; rejects with the signal's reason when aborted. Injected for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real timer-backed {@link Sleep}, shared by the ARM pacers and the Azure DevOps limiter. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
