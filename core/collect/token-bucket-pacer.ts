import type { PacerClock } from './pacer-clock.js';

/** A bucket's documented size and refill (ARM reads today: 250 and 25/s). */
export interface BucketShape {
  burst: number;
  refillPerSecond: number;
}

/** ARM subscription reads per principal (learn.microsoft.com, request-limits-and-throttling, 2025). */
export const ARM_READ_BUCKET: BucketShape = { burst: 250, refillPerSecond: 25 };

interface KeyState {
  tokens: number;
  at: number;
}

/**
 * Paces requests to stay inside ARM's token bucket instead of discovering it through 429s. Each
 * key (a subscription) mirrors the server's bucket: `acquire` reserves a token and waits until
 * it exists (reservations may run the mirror negative, which queues callers fairly without a
 * thundering herd); `observe` lowers the mirror to what the server says is left
 * (`x-ms-ratelimit-remaining-subscription-reads`), so other callers on the same principal are
 * accounted for.
 *
 * @example
 * const waited = await pacer.acquire(subscriptionId, signal);
 */
export class TokenBucketPacer {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly shape: BucketShape,
    private readonly clock: PacerClock,
  ) {}

  /** Reserves one token; resolves when it is due. Returns how long it waited in ms. */
  async acquire(key: string, signal?: AbortSignal): Promise<number> {
    const state = this.refill(key);
    state.tokens -= 1;
    if (state.tokens >= 0) return 0;
    const waitMs = (-state.tokens / this.shape.refillPerSecond) * 1000;
    await this.clock.sleep(waitMs, signal);
    return waitMs;
  }

  /** Lowers the mirror to the server's count of remaining tokens. */
  observe(key: string, remaining: number): void {
    if (!Number.isFinite(remaining)) return;
    const state = this.refill(key);
    state.tokens = Math.min(state.tokens, remaining);
  }

  /** After a 429 the server's bucket is empty whatever we thought. */
  exhausted(key: string): void {
    const state = this.refill(key);
    state.tokens = Math.min(state.tokens, 0);
  }

  /** The mirror's current token count (negative while callers are queued). */
  tokens(key: string): number {
    return this.refill(key).tokens;
  }

  private refill(key: string): KeyState {
    const now = this.clock.now();
    let state = this.keys.get(key);
    if (!state) {
      state = { tokens: this.shape.burst, at: now };
      this.keys.set(key, state);
    }
    const refilled = ((now - state.at) / 1000) * this.shape.refillPerSecond;
    state.tokens = Math.min(this.shape.burst, state.tokens + refilled);
    state.at = now;
    return state;
  }
}
