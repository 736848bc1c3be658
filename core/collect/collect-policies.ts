import {
  isRestError,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  RestError,
} from '@azure/core-rest-pipeline';
import { HttpError } from '../errors.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { CollectStats } from './collect-stats.js';

/** Network failures the SDK's exponential strategy treats as transient. */
const TRANSIENT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
]);

/**
 * Runs around every attempt (placed after the SDK's retry policy): waits for the pacer, counts
 * the attempt, enforces a per-attempt timeout, and lets the pacer read the response headers.
 *
 * The SDK turns a timeout into a plain abort, which its retry policy does not retry; here a
 * timeout becomes a `RestError` with code `ETIMEDOUT`, which the exponential strategy does retry.
 */
export function attemptPolicy(options: {
  name: string;
  stats: CollectStats;
  timeoutMs: number;
  /** Waits for a slot; `settle` gets the response (or nothing when the attempt failed). */
  pace(
    request: PipelineRequest,
  ): Promise<{ waitedMs: number; settle(response?: PipelineResponse): void }>;
}): PipelinePolicy {
  return {
    name: options.name,
    async sendRequest(request, next) {
      const slot = await options.pace(request);
      if (slot.waitedMs > 0) {
        options.stats.paceWaits += 1;
        options.stats.paceWaitMs += slot.waitedMs;
      }
      options.stats.attempts += 1;
      const outer = request.abortSignal;
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      outer?.addEventListener('abort', onAbort);
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
        outer?.removeEventListener('abort', onAbort);
        request.abortSignal = outer;
      }
    },
  };
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
      const host = new URL(request.url).host;
      const { breaker } = options;
      options.stats.requests += 1;
      if (!breaker.allow(host)) {
        options.stats.failed += 1;
        throw new HttpError(
          'azure.circuit-open',
          `${host} failed repeatedly; requests to it are paused for a while`,
          {
            url: request.url,
          },
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
    },
  };
}
