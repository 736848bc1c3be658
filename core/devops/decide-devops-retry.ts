import type { RateLimitSignal } from './read-rate-limit-headers.js';

/** How often and how long to retry throttled and failed requests. */
export interface RetryPolicy {
  /** Retries after the first attempt, for 429, 5xx and transient network errors. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Returns [0, 1); injected so tests get exact waits. */
  random: () => number;
}

/** Five retries, backoff from 1 s doubling to at most 60 s, real randomness for jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  random: Math.random,
};

/** What to do after one attempt. `pauseAllMs` holds every request, not just this one. */
export interface RetryDecision {
  retry: boolean;
  waitMs: number;
  pauseAllMs: number;
  reason: 'throttled' | 'server-error' | 'network' | 'none';
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const MAX_EXHAUSTED_PAUSE_MS = 30_000;
// Connection-level failures worth another try; ECONNREFUSED/ENOTFOUND mean a wrong URL.
const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * Decides whether to retry (the SDK never retries 429; typed-rest-client's own retries are off).
 * 429: wait `Retry-After`, else until `X-RateLimit-Reset`, else exponential backoff, plus up to
 * 10 % jitter so clustered clients do not return in lockstep, and pause everyone that long.
 * 5xx and transient network errors: exponential backoff with equal jitter, this request only.
 * A `Retry-After` on a served response (the delay phase) pauses everyone without a retry, and so
 * does `X-RateLimit-Remaining: 0` (for the time the window takes to free one unit, at most 30 s).
 */
export function decideRetry(input: {
  attempt: number;
  status?: number;
  networkCode?: string;
  rate: RateLimitSignal;
  nowMs: number;
  policy: RetryPolicy;
}): RetryDecision {
  const { attempt, status, rate, policy } = input;
  const canRetry = attempt < policy.maxRetries;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  if (status === 429) {
    const told =
      rate.retryAfterMs ??
      (rate.resetAtMs !== undefined ? Math.max(0, rate.resetAtMs - input.nowMs) : undefined);
    const base = told ?? backoff;
    const waitMs = Math.round(base + base * 0.1 * policy.random());
    return { retry: canRetry, waitMs, pauseAllMs: waitMs, reason: 'throttled' };
  }
  // Out of TSTUs (`X-RateLimit-Remaining: 0`) with no Retry-After: the next request would be
  // delayed. `X-RateLimit-Reset` is when usage would be back to 0 if everything stopped; usage
  // leaves a sliding window about as fast as it entered, so one unit frees up after
  // (reset − now) ÷ `X-RateLimit-Limit`. Waiting for all of it (the whole window) halved the
  // throughput of a client whose budget equals the server's. At most 30 s, the longest single
  // delay Azure DevOps applies; without a limit header, until the reset.
  const exhausted =
    rate.remaining === 0 && rate.resetAtMs !== undefined
      ? Math.min(
          MAX_EXHAUSTED_PAUSE_MS,
          Math.ceil(Math.max(0, rate.resetAtMs - input.nowMs) / (rate.limit ?? 1)),
        )
      : 0;
  const pauseAllMs = rate.retryAfterMs ?? exhausted;
  const transient =
    (status !== undefined && RETRYABLE_STATUS.has(status)) ||
    (input.networkCode !== undefined && RETRYABLE_NETWORK.has(input.networkCode));
  if (transient) {
    const waitMs = Math.max(
      rate.retryAfterMs ?? 0,
      Math.round(backoff / 2 + (backoff / 2) * policy.random()),
    );
    return { retry: canRetry, waitMs, pauseAllMs, reason: status ? 'server-error' : 'network' };
  }
  return { retry: false, waitMs: 0, pauseAllMs, reason: 'none' };
}
