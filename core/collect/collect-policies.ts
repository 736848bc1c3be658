import {
  isRestError,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  RestError,
  type SendRequest,
} from '@azure/core-rest-pipeline';
import { HttpError } from '../errors.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { onAbort, scopeSignal } from '../resilience/on-abort.js';
import type { CollectStats } from './collect-stats.js';
import type { PacerClock } from './pacer-clock.js';
import type { trackPacedTime } from './track-paced-time.js';

/** Network failures the SDK's exponential strategy treats as transient. */
const TRANSIENT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
]);

/** What a pacer gives an attempt: how long it waited, and where to report the response. */
export interface PaceSlot {
  waitedMs: number;
  settle(response?: PipelineResponse): void;
}

/**
 * Runs around every attempt (placed after the SDK's retry policy): waits for the pacer, counts
 * the attempt, enforces a per-attempt timeout, and lets the pacer read the response headers.
 *
 * A 429 is waited out here — `Retry-After`, then the pacer — and the read sent again, for as long
 * as the scan's deadline allows: throttling is waiting, not failure, and handing 429s to the
 * SDK's retry policy spent its few retries and turned throttled reads into unknown resources.
 * Past the deadline the 429 goes to the SDK as before.
 *
 * The SDK turns a timeout into a plain abort, which its retry policy does not retry; here a
 * timeout becomes a `RestError` with code `ETIMEDOUT`, which the exponential strategy does retry.
 */
export function attemptPolicy(options: {
  name: string;
  stats: CollectStats;
  timeoutMs: number;
  clock: PacerClock;
  /** Pacer-clock time after which a 429 is no longer waited out here. */
  deadline: number;
  paced: ReturnType<typeof trackPacedTime>;
  /** Waits for a slot; `settle` gets the response (or nothing when the attempt failed). */
  pace(request: PipelineRequest): Promise<PaceSlot>;
}): PipelinePolicy {
  const seen = new WeakSet<PipelineRequest>();
  return {
    name: options.name,
    async sendRequest(request, next) {
      for (;;) {
        const response = await attempt(request, next);
        if (
          response.status !== 429 ||
          options.clock.now() >= options.deadline ||
          request.abortSignal?.aborted
        )
          return response;
        await options.clock.sleep(retryAfterMs(response), signalOf(request));
      }
    },
  };

  async function attempt(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    if (seen.has(request)) options.stats.retries += 1;
    seen.add(request);
    const done = options.paced.begin();
    let slot: PaceSlot;
    try {
      slot = await options.pace(request);
    } finally {
      done();
    }
    if (slot.waitedMs > 0) options.stats.paceWaits += 1;
    options.stats.attempts += 1;
    const outer = signalOf(request);
    const controller = new AbortController();
    const unsubscribe = onAbort(outer, () => controller.abort());
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    request.abortSignal = controller.signal;
    let response: PipelineResponse | undefined;
    try {
      response = await next(request);
      if (response.status === 429) options.stats.throttled += 1;
      return response;
    } catch (error) {
      response = isRestError(error) ? error.response : undefined;
      if (timedOut && !outer?.aborted) {
        throw new RestError(`no response within ${options.timeoutMs} ms`, {
          code: 'ETIMEDOUT',
          request,
        });
      }
      throw error;
    } finally {
      slot.settle(response);
      clearTimeout(timer);
      unsubscribe();
      request.abortSignal = outer;
    }
  }
}

/** The request's signal: the SDK types it as `AbortSignalLike`; at runtime it is an AbortSignal. */
function signalOf(request: PipelineRequest): AbortSignal | undefined {
  return request.abortSignal as AbortSignal | undefined;
}

/**
 * How long a 429 asks to wait: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After`
 * (seconds or an HTTP date) — the three headers core-rest-pipeline's throttling strategy reads.
 * Undefined when none is given.
 */
export function readRetryAfterMs(
  response: PipelineResponse,
  nowMs = Date.now(),
): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(response.headers.get(name));
    if (response.headers.get(name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = response.headers.get('retry-after');
  if (value !== undefined) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  return undefined;
}

/** {@link readRetryAfterMs}, or one second when the 429 does not say. */
function retryAfterMs(response: PipelineResponse): number {
  return readRetryAfterMs(response) ?? 1_000;
}

/**
 * Wraps the SDK's retries (Serialize phase): counts logical requests and feeds the endpoint's
 * circuit breaker with their outcome; while the breaker is open, requests fail at once.
 */
export function breakerPolicy(options: {
  stats: CollectStats;
  /** Keyed by host. */
  breaker: CircuitBreaker;
}): PipelinePolicy {
  return {
    name: 'driftwatchCircuitBreaker',
    async sendRequest(request, next) {
      // Everything below (the SDK's retry delays, the pacer, the attempt, the socket) listens to
      // a signal of this request's own, not to the run's signal that every request shares.
      const outer = signalOf(request);
      const scoped = scopeSignal(outer);
      request.abortSignal = scoped.signal;
      try {
        return await send(request, next);
      } finally {
        scoped.dispose();
        request.abortSignal = outer;
      }
    },
  };

  async function send(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    const host = new URL(request.url).host;
    const { breaker } = options;
    options.stats.requests += 1;
    if (!breaker.allow(host)) {
      options.stats.failed += 1;
      throw new HttpError(
        'azure.circuit-open',
        `${host} failed repeatedly; requests to it are paused for a while`,
        { url: request.url },
      );
    }
    try {
      const response = await next(request);
      if (response.status >= 500) breaker.failed(host);
      else breaker.succeeded(host);
      if (response.status >= 500 || response.status === 429) options.stats.failed += 1;
      return response;
    } catch (error) {
      if (request.abortSignal?.aborted) throw error;
      const status = isRestError(error) ? error.statusCode : undefined;
      const transient =
        status === undefined
          ? isRestError(error) && TRANSIENT_CODES.has(error.code ?? '')
          : status >= 500;
      if (transient || status === 429) options.stats.failed += 1;
      if (transient) breaker.failed(host);
      else breaker.succeeded(host);
      throw error;
    }
  }
}
