import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';
import type { Sleep } from '../resilience/abortable-sleep.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { decideRetry, type RetryPolicy } from './decide-devops-retry.js';
import type { DevOpsLimiter } from './devops-limiter.js';
import { readRateLimitHeaders } from './read-rate-limit-headers.js';
import type { RequestStats } from './request-stats.js';

/** The slice of typed-rest-client's request info the gate uses. */
export interface RawRequestInfo {
  options: { method?: string; headers?: OutgoingHttpHeaders };
  parsedUrl: URL;
}

/** The slice of typed-rest-client's response the gate uses. */
export interface RawResponse {
  message: IncomingMessage;
  readBody(): Promise<string>;
}

/** The slice of typed-rest-client's `HttpClient` the gate wraps: every request goes through it. */
export interface RawHttpClient {
  requestRaw(info: RawRequestInfo, data: unknown): Promise<RawResponse>;
}

/** The shared parts every governed request uses. */
export interface RequestGateOptions {
  limiter: DevOpsLimiter;
  breaker: CircuitBreaker;
  stats: RequestStats;
  policy: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  signal?: AbortSignal;
  /** Sets the Authorization header just before sending (Entra tokens refresh here). */
  authorize?: (headers: OutgoingHttpHeaders) => Promise<void>;
}

/**
 * Routes every request of a typed-rest-client `HttpClient` through the limiter, the retry policy
 * and the circuit breaker by wrapping the instance's `requestRaw` — the one method its `get`,
 * `options` and the SDK's `RestClient` all end in (typed-rest-client HttpClient.request).
 */
export function governHttpClient(client: RawHttpClient, gate: RequestGateOptions): void {
  const raw = client.requestRaw.bind(client);
  client.requestRaw = (info, data) => sendGoverned(info, data, raw, gate);
}

/** The endpoint a breaker tracks: method and path with ids folded (`/org/p/_apis/git/repositories/{id}/commits`). */
export function endpointKey(method: string | undefined, url: URL): string {
  const path = url.pathname.replace(/\/(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=\/|$)/gi, '/{id}');
  return `${method ?? 'GET'} ${path}`;
}

async function sendGoverned(
  info: RawRequestInfo,
  data: unknown,
  raw: (info: RawRequestInfo, data: unknown) => Promise<RawResponse>,
  gate: RequestGateOptions,
): Promise<RawResponse> {
  const key = endpointKey(info.options.method, info.parsedUrl);
  // Bodies that are streams cannot be replayed; discovery only sends GET/OPTIONS.
  const replayable = data === undefined || data === null || typeof data === 'string';
  // A POST (queueing a pipeline run) is not idempotent: after a 5xx or a dropped connection it
  // may have been carried out, so only a 429 (TF400733: blocked, nothing done) is retried.
  const idempotent = !['POST', 'PATCH'].includes((info.options.method ?? 'GET').toUpperCase());
  for (let attempt = 0; ; attempt += 1) {
    if (gate.signal?.aborted) throw gate.signal.reason;
    await gate.authorize?.(info.options.headers ?? {});
    let response: RawResponse;
    try {
      response = await gate.limiter.schedule(() => {
        // Checked when the request would go out, so queued calls see a circuit opened meanwhile.
        if (gate.signal?.aborted) throw gate.signal.reason;
        if (!gate.breaker.allow(key)) throw circuitOpen(key, info.parsedUrl);
        gate.stats.sent += 1;
        return raw(info, data);
      }, gate.signal);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'devops.circuit-open') {
        gate.stats.shortCircuited += 1;
        throw error;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const decision = decideRetry({
        attempt,
        networkCode: code,
        rate: {},
        nowMs: now(gate),
        policy: gate.policy,
      });
      if (decision.retry && replayable && idempotent && !gate.signal?.aborted) {
        gate.stats.retries += 1;
        await gate.sleep(decision.waitMs, gate.signal);
        continue;
      }
      gate.stats.failed += 1;
      gate.breaker.failed(key);
      throw error;
    }
    const status = response.message.statusCode ?? 0;
    const rate = readRateLimitHeaders(response.message.headers, now(gate));
    if (rate.delayedMs !== undefined) gate.stats.delayed += 1;
    if (status === 429) gate.stats.throttled += 1;
    const decision = decideRetry({ attempt, status, rate, nowMs: now(gate), policy: gate.policy });
    if (decision.pauseAllMs > 0) gate.limiter.pauseUntil(new Date(now(gate) + decision.pauseAllMs));
    if (decision.retry && replayable && (idempotent || decision.reason === 'throttled')) {
      gate.stats.retries += 1;
      await response.readBody();
      // 429 waits through the limiter's pause (shared by every request); 5xx waits alone.
      if (decision.reason !== 'throttled') await gate.sleep(decision.waitMs, gate.signal);
      continue;
    }
    if (status === 429 || status >= 500) gate.breaker.failed(key);
    else gate.breaker.succeeded(key);
    if (status >= 400) gate.stats.failed += 1;
    else gate.stats.succeeded += 1;
    return response;
  }
}

function circuitOpen(key: string, url: URL): HttpError {
  return new HttpError(
    'devops.circuit-open',
    `Azure DevOps endpoint ${key} kept failing; not calling it again for now`,
    { url: url.href },
  );
}

function now(gate: RequestGateOptions): number {
  return gate.clock.now().getTime();
}
