import { StoreError } from '../errors.js';

/**
 * Resolves once `probe` (one read of the store) has answered, or throws `store.unavailable` with
 * `refusal` after `ms`. A Redis store whose connection dropped queues calls until it reconnects,
 * for as long as the process runs: a chat command or an approval made meanwhile would hang with no
 * answer. Asking first, with a deadline, turns that into one clear refusal before anything is
 * read or written; the probe that answers late is harmless.
 *
 * @example
 * await awaitStoreAnswer(() => store.keyValue('probe').get('probe'), 5_000, 'nothing was read or changed');
 */
export async function awaitStoreAnswer(
  probe: () => Promise<unknown>,
  ms: number,
  refusal: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StoreError(
            'store.unavailable',
            `the store cannot be reached, so ${refusal}: it did not answer within ${ms / 1000} s`,
          ),
        ),
      ms,
    );
    timer.unref?.();
  });
  try {
    await Promise.race([probe(), late]);
  } finally {
    clearTimeout(timer);
  }
}
