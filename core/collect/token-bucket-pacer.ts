import type { PacerClock } from './pacer-clock.js';

/** A bucket's documented size and refill (ARM reads today: 250 and 25/s). */
export interface BucketShape {
  burst: number;
  refillPerSecond: number;
  /**
   * Tokens kept in hand. The server's bucket runs behind our mirror by the network jitter (a
   * request sent later can arrive earlier), so pacing to exactly zero draws the odd 429; a
   * margin of `refillPerSecond × jitter` avoids it at a one-off cost of margin ÷ rate seconds.
   */
  marginTokens?: number;
}

/** ARM subscription reads per principal (learn.microsoft.com, request-limits-and-throttling, 2025). */
export const ARM_READ_BUCKET: BucketShape = { burst: 250, refillPerSecond: 25, marginTokens: 3 };

/** A granted slot: hand it back with what the server said (or nothing, on failure). */
export interface PacerTicket {
  waitedMs: number;
  settle(remaining?: number): void;
}

interface Waiter {
  since: number;
  grant(ticket: PacerTicket): void;
}

interface KeyState {
  key: string;
  /** The server's tokens minus our requests it has not seen yet. */
  tokens: number;
  at: number;
  nextSeq: number;
  /** Sequence numbers of requests sent and not yet answered. */
  inFlight: Set<number>;
  queue: Waiter[];
  timer: boolean;
}

/**
 * Paces requests to stay inside ARM's token bucket instead of discovering it through 429s. Each
 * key (a subscription) mirrors the server's bucket, counting a request at send time; waiters
 * queue in order and are let through as the mirror refills. Two facts keep the mirror honest:
 * the server's bucket never holds more than `burst`, so the mirror never refills past
 * `burst − requests in flight`; and each answer's `x-ms-ratelimit-remaining-subscription-reads`
 * lowers the mirror to what the server had left minus what we sent after — which also accounts
 * for other callers using the same principal.
 *
 * @example
 * const ticket = await pacer.acquire(subscriptionId, signal);
 * ticket.settle(Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads')));
 */
export class TokenBucketPacer {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly shape: BucketShape,
    private readonly clock: PacerClock,
  ) {}

  /** Resolves with a ticket when a token is available for `key`. */
  acquire(key: string, signal?: AbortSignal): Promise<PacerTicket> {
    const state = this.state(key);
    return new Promise<PacerTicket>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        state.queue.splice(state.queue.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        since: this.clock.now(),
        grant: (ticket) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.queue.push(waiter);
      this.pump(state);
    });
  }

  /** After a 429 the server's bucket is empty whatever we thought. */
  exhausted(key: string): void {
    const state = this.state(key);
    this.refill(state);
    state.tokens = Math.min(state.tokens, 0);
  }

  /** The mirror's current token count. */
  tokens(key: string): number {
    const state = this.state(key);
    this.refill(state);
    return state.tokens;
  }

  private pump(state: KeyState): void {
    this.refill(state);
    const margin = this.shape.marginTokens ?? 0;
    while (state.queue.length > 0 && state.tokens - 1 >= margin) {
      const waiter = state.queue.shift() as Waiter;
      state.tokens -= 1;
      const seq = state.nextSeq++;
      state.inFlight.add(seq);
      waiter.grant({
        waitedMs: this.clock.now() - waiter.since,
        settle: (r) => this.settle(state, seq, r),
      });
    }
    if (state.queue.length === 0 || state.timer) return;
    // Due when the mirror holds margin + 1 tokens; if requests in flight cap it lower, an answer
    // (settle) pumps again, and the timer re-checks.
    const waitMs = Math.max(1, ((margin + 1 - state.tokens) / this.shape.refillPerSecond) * 1000);
    state.timer = true;
    void this.clock.sleep(waitMs).then(() => {
      state.timer = false;
      this.pump(state);
    });
  }

  private settle(state: KeyState, seq: number, remaining: number | undefined): void {
    if (!state.inFlight.delete(seq)) return;
    this.refill(state);
    if (remaining !== undefined && Number.isFinite(remaining)) {
      let sentAfter = 0;
      for (const other of state.inFlight) if (other > seq) sentAfter += 1;
      state.tokens = Math.min(state.tokens, remaining - sentAfter);
    }
    this.pump(state);
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = {
        key,
        tokens: this.shape.burst,
        at: this.clock.now(),
        nextSeq: 0,
        inFlight: new Set(),
        queue: [],
        timer: false,
      };
      this.keys.set(key, state);
    }
    return state;
  }

  private refill(state: KeyState): void {
    const now = this.clock.now();
    const refilled = state.tokens + ((now - state.at) / 1000) * this.shape.refillPerSecond;
    // Requests in flight have not reached the server's bucket, which cannot grow past `burst`.
    state.tokens = Math.min(this.shape.burst - state.inFlight.size, refilled);
    state.at = now;
  }
}
