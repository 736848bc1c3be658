/** How long to wait before retrying a failed call, and why; `undefined` gives up. */
export interface RetryWait {
  ms: number;
  reason: 'retry-after' | 'backoff';
}

/** Decides whether a failed call is retried (its `attempt`, from 0) and after how long. */
export type RetryStrategy = (error: unknown, attempt: number) => RetryWait | undefined;

export interface PacedQueueOptions {
  /** Least time between the start of a call and the end of the previous one, per key. */
  minIntervalMs: number;
  retry: RetryStrategy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Every wait: pacing (`pace`) or a retry's (`retry-after`, `backoff`). */
  onWait?: (ms: number, reason: 'pace' | RetryWait['reason']) => void;
  /** Every call, with how it ended: `retried` when the strategy retries it. */
  onCall?: (operation: string, outcome: 'ok' | 'retried' | 'error', error?: unknown) => void;
}

/**
 * Runs calls one at a time per key (a Slack channel, a Teams conversation), at least
 * `minIntervalMs` apart, and retries what the strategy says to retry after the wait it names —
 * one loop that waits, strategies that decide (as in Azure SDK's core-rest-pipeline). Keys do not
 * wait for each other; a failed call does not stop the next one for its key.
 *
 * @example
 * const queue = new PacedQueue({ minIntervalMs: 1000, retry: honourRetryAfter, sleep, now: Date.now });
 * await queue.run('C123', 'chat.postMessage', () => client.chat.postMessage(args));
 */
export class PacedQueue {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly lastAt = new Map<string, number>();

  constructor(private readonly options: PacedQueueOptions) {}

  /** Runs `work` after the key's earlier calls, paced, with retries. */
  run<T>(key: string, operation: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const run = previous.then(() => this.paced(key, operation, work));
    this.chains.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }

  private async paced<T>(key: string, operation: string, work: () => Promise<T>): Promise<T> {
    const { options } = this;
    for (let attempt = 0; ; attempt += 1) {
      const last = this.lastAt.get(key);
      const wait = last === undefined ? 0 : last + options.minIntervalMs - options.now();
      if (wait > 0) {
        options.onWait?.(wait, 'pace');
        await options.sleep(wait);
      }
      try {
        const result = await work();
        this.lastAt.set(key, options.now());
        options.onCall?.(operation, 'ok');
        return result;
      } catch (error) {
        // A refused call counts towards the pace too: the service saw it.
        this.lastAt.set(key, options.now());
        const retry = options.retry(error, attempt);
        if (retry === undefined) {
          options.onCall?.(operation, 'error', error);
          throw error;
        }
        options.onCall?.(operation, 'retried', error);
        options.onWait?.(retry.ms, retry.reason);
        await options.sleep(retry.ms);
      }
    }
  }
}
