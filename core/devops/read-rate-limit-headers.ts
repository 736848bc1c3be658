/** Node's lower-cased response headers. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What an Azure DevOps response says about the caller's budget. */
export interface RateLimitSignal {
  /** `Retry-After`, in milliseconds (delta-seconds or an HTTP date, RFC 9110 §10.2.3). */
  retryAfterMs?: number;
  /** `X-RateLimit-Delay`: how long the server held this request, in milliseconds. */
  delayedMs?: number;
  /** `X-RateLimit-Remaining`: TSTUs left before delays start. */
  remaining?: number;
  /** `X-RateLimit-Limit`: TSTUs allowed in the window before delays start. */
  limit?: number;
  /** `X-RateLimit-Reset` (Unix epoch seconds), as epoch milliseconds. */
  resetAtMs?: number;
  /** `X-RateLimit-Resource`, for people only (docs: do not compute on it). */
  resource?: string;
}

/**
 * Reads the rate-limit headers Azure DevOps documents (learn.microsoft.com/azure/devops/integrate/
 * concepts/rate-limits): all but `X-RateLimit-Delay` are sent before delays start.
 */
export function readRateLimitHeaders(headers: ResponseHeaders, nowMs: number): RateLimitSignal {
  const signal: RateLimitSignal = {};
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) signal.retryAfterMs = Math.round(seconds * 1000);
    else if (Number.isFinite(date)) signal.retryAfterMs = Math.max(0, date - nowMs);
  }
  const delay = Number(first(headers['x-ratelimit-delay']));
  if (Number.isFinite(delay) && delay > 0) signal.delayedMs = Math.round(delay * 1000);
  const remaining = Number(first(headers['x-ratelimit-remaining']));
  if (first(headers['x-ratelimit-remaining']) !== undefined && Number.isFinite(remaining)) {
    signal.remaining = remaining;
  }
  const limit = Number(first(headers['x-ratelimit-limit']));
  if (Number.isFinite(limit) && limit > 0) signal.limit = limit;
  const reset = Number(first(headers['x-ratelimit-reset']));
  if (Number.isFinite(reset) && reset > 0) signal.resetAtMs = reset * 1000;
  const resource = first(headers['x-ratelimit-resource']);
  if (resource) signal.resource = resource;
  return signal;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}
