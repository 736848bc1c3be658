import { onAbort } from '../resilience/on-abort.js';
import type { PacerClock } from './pacer-clock.js';

/** A bucket's documented size and refill (ARM reads today: 250 and 25/s). */
export interface BucketShape {
  burst: number;
  /** The documented refill: the most the pacer ever assumes. */
  refillPerSecond: number;
  /**
   * Tokens kept in hand. The server's bucket runs behind our mirror by the network jitter (a
   * request sent later can arrive earlier), and the refill is learnt, not known; pacing to
   * exactly zero draws the odd 429. A few tokens cost a one-off margin ÷ rate seconds.
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

interface Sent {
  at: number;
}

interface Sample {
  at: number;
  level: number;
}

interface KeyState {
  /** The server's tokens minus our requests it has not seen yet. */
  tokens: number;
  at: number;
  /** The refill assumed now, tokens per second (≤ the documented refill). */
  rate: number;
  /** Recent answers as (time, remaining + requests the server had counted) — see `observe`. */
  samples: Sample[];
  /** Requests answered 429: they took a sequence number but no token. */
  unconsumed: number;
  nextSeq: number;
  /** Requests sent and not yet answered, by sequence number. */
  inFlight: Map<number, Sent>;
  queue: Waiter[];
  timer: boolean;
}

// Until answers have shown the refill, a fifth of the documented one is assumed: a principal's
// bucket is shared with every client signed in as it, and over-sending at the documented rate
// until the first 429s costs more than a second of caution.
const PROBE_SHARE = 0.2;
// The refill is measured over the answers of the last few seconds, once they span long enough
// to see past rounding and the order in which concurrent requests reached the server.
const SAMPLE_WINDOW_MS = 3_000;
const MIN_SAMPLE_SPAN_MS = 800;
const MIN_SAMPLES = 5;
/** A 429 halves the refill assumed until the next measurement. */
const THROTTLED_DECREASE = 0.5;
/** The assumed refill never drops below this share of the documented one. */
const FLOOR_SHARE = 0.01;

/**
 * Paces requests to stay inside ARM's token bucket instead of discovering it through 429s. Each
 * key (a subscription) mirrors the server's bucket, counting a request at send time; waiters
 * queue in order and are let through as the mirror refills.
 *
 * The refill is measured, not assumed: ARM documents 25 reads/s per principal, but a principal
 * shares its bucket with every other client signed in as it (another scan, a pipeline, the
 * portal), so the refill left for us can be a fifth of that or less. Each answer's
 * `x-ms-ratelimit-remaining-subscription(-global)-reads` plus the requests the server had
 * counted by then grows exactly by the refill left for us, so the slope of that sum over the
 * last seconds is the refill to pace at (between 1 % of the documented one and all of it). A
 * 429 halves it until the next measurement. The answers also correct the mirror's level: down
 * to what the server can hold at most, up to what it holds at least. The mirror never refills
 * past `burst − requests in flight`: the server's bucket never holds more than `burst`.
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
      const unsubscribe = onAbort(signal, () => {
        const index = state.queue.indexOf(waiter);
        if (index >= 0) state.queue.splice(index, 1);
        reject(signal?.reason);
      });
      const waiter: Waiter = {
        since: this.clock.now(),
        grant: (ticket) => {
          unsubscribe();
          resolve(ticket);
        },
      };
      state.queue.push(waiter);
      this.pump(state);
    });
  }

  /**
   * After a 429 the server's bucket is empty whatever we thought, and it refills slower than
   * assumed. With the answer's `Retry-After`, the next request may go when it says (the pacer
   * adds no wait of its own on top).
   */
  exhausted(key: string, retryAfterMs?: number): void {
    const state = this.state(key);
    this.refill(state);
    state.unconsumed += 1;
    state.rate = this.bounded(state.rate * THROTTLED_DECREASE);
    const margin = this.shape.marginTokens ?? 0;
    // With Retry-After: tokens such that margin + 1 are in hand when the server said to come back.
    state.tokens =
      retryAfterMs === undefined
        ? Math.min(state.tokens, 0)
        : Math.max(0, margin + 1 - (state.rate * retryAfterMs) / 1000);
  }

  /** The mirror's current token count. */
  tokens(key: string): number {
    const state = this.state(key);
    this.refill(state);
    return state.tokens;
  }

  /** The refill assumed for `key` now, tokens per second. */
  refillPerSecond(key: string): number {
    return this.state(key).rate;
  }

  private pump(state: KeyState): void {
    this.refill(state);
    const margin = this.shape.marginTokens ?? 0;
    while (state.queue.length > 0 && state.tokens - 1 >= margin) {
      const waiter = state.queue.shift() as Waiter;
      state.tokens -= 1;
      const seq = state.nextSeq++;
      state.inFlight.set(seq, { at: this.clock.now() });
      waiter.grant({
        waitedMs: this.clock.now() - waiter.since,
        settle: (r) => this.settle(state, seq, r),
      });
    }
    if (state.queue.length === 0 || state.timer) return;
    // Due when the mirror holds margin + 1 tokens; if requests in flight cap it lower, an answer
    // (settle) pumps again, and the timer re-checks.
    const waitMs = Math.max(1, ((margin + 1 - state.tokens) / state.rate) * 1000);
    state.timer = true;
    void this.clock.sleep(waitMs).then(() => {
      state.timer = false;
      this.pump(state);
    });
  }

  private settle(state: KeyState, seq: number, remaining: number | undefined): void {
    const sent = state.inFlight.get(seq);
    if (!sent) return;
    state.inFlight.delete(seq);
    this.refill(state);
    if (remaining !== undefined && Number.isFinite(remaining))
      this.observe(state, seq, sent, remaining);
    this.pump(state);
  }

  /**
   * Learns from one answer. The server counted `remaining` when it served request `seq`,
   * somewhere between its send and now, after the requests sent before it (less those answered
   * 429): `remaining + that count` rises by the refill left for us and by nothing else, so its
   * slope over time measures the refill.
   */
  private observe(state: KeyState, seq: number, sent: Sent, remaining: number): void {
    const now = this.clock.now();
    const margin = this.shape.marginTokens ?? 0;
    // Near `burst` the bucket may have been full, and refill into a full bucket is lost: the
    // line through earlier answers does not continue past such a moment.
    if (remaining >= this.shape.burst - 1 - margin) state.samples.length = 0;
    else {
      state.samples.push({ at: (sent.at + now) / 2, level: remaining + seq - state.unconsumed });
      // An answer that took over twice the window (a slow or starved request) leaves no sample.
      while (state.samples.length > 0 && (state.samples[0] as Sample).at < now - SAMPLE_WINDOW_MS)
        state.samples.shift();
      const span = state.samples.length > 0 ? now - (state.samples[0] as Sample).at : 0;
      if (state.samples.length >= MIN_SAMPLES && span >= MIN_SAMPLE_SPAN_MS) {
        state.rate = this.bounded(slopePerSecond(state.samples));
      }
    }
    let inFlightAfter = 0;
    let inFlightBefore = 0;
    for (const other of state.inFlight.keys()) {
      if (other > seq) inFlightAfter += 1;
      else inFlightBefore += 1;
    }
    const sentAfter = state.nextSeq - 1 - seq;
    // Not more than the server had left, less what is on its way; not less than it had left,
    // less everything sent after and everything sent before that it may not have counted yet.
    // (The refill since it answered is not credited: safe side.)
    const most = remaining - inFlightAfter;
    const least = remaining - sentAfter - inFlightBefore;
    if (state.tokens > most) state.tokens = most;
    else if (state.tokens + 1 < least) {
      state.tokens = Math.min(least, this.shape.burst - state.inFlight.size);
    }
  }

  private bounded(rate: number): number {
    const documented = this.shape.refillPerSecond;
    return Math.min(documented, Math.max(documented * FLOOR_SHARE, rate));
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = {
        tokens: this.shape.burst,
        at: this.clock.now(),
        rate: this.shape.refillPerSecond * PROBE_SHARE,
        samples: [],
        unconsumed: 0,
        nextSeq: 0,
        inFlight: new Map(),
        queue: [],
        timer: false,
      };
      this.keys.set(key, state);
    }
    return state;
  }

  private refill(state: KeyState): void {
    const now = this.clock.now();
    const refilled = state.tokens + ((now - state.at) / 1000) * state.rate;
    // Requests in flight have not reached the server's bucket, which cannot grow past `burst`.
    state.tokens = Math.min(this.shape.burst - state.inFlight.size, refilled);
    state.at = now;
  }
}

/** Least-squares slope of `level` over `at` (ms), per second. */
function slopePerSecond(samples: readonly Sample[]): number {
  const n = samples.length;
  let sumT = 0;
  let sumL = 0;
  for (const s of samples) {
    sumT += s.at;
    sumL += s.level;
  }
  const meanT = sumT / n;
  const meanL = sumL / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.at - meanT) * (s.level - meanL);
    den += (s.at - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 1000;
}
