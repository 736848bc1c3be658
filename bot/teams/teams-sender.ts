import { PacedQueue } from '../../core/resilience/paced-queue.js';

/**
 * Statuses Teams asks bots to retry with exponential backoff (learn.microsoft.com, "Optimize your
 * bot with rate limiting and best practices in Teams": 412 Precondition Failed, 429 Too Many
 * Requests, 502 Bad Gateway, 504 Gateway Timeout).
 */
const RETRYABLE = new Set([412, 429, 502, 504]);
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export interface TeamsSenderOptions {
  /**
   * Least time between two sends to one conversation. Teams allows about one message a second
   * per conversation sustained (60 per 30 s, 1,800 per hour), so summaries never burst.
   */
  minIntervalMs?: number;
  /** Retries of one call before its error is thrown. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** 0 ≤ x < 1; the jitter of the backoff. */
  random?: () => number;
  /** Every wait: pacing, a Retry-After, or a backoff. */
  onWait?: (ms: number, reason: 'pace' | 'retry-after' | 'backoff') => void;
  /** Every call to the connector, with how it ended. */
  onCall?: (operation: string, outcome: 'ok' | 'retried' | 'error') => void;
}

/**
 * Sends to the Bot Framework connector one call at a time per conversation, at most one per
 * `minIntervalMs`, and retries 412/429/502/504 with jittered exponential backoff, honouring the
 * service's `Retry-After` when it sends one. Other errors are thrown at once. The SDK's own retry
 * policy is removed from the connector client (see `ownRetries`), so this is the one place that
 * decides, with an injected clock.
 */
export class TeamsSender {
  private readonly queue: PacedQueue;

  constructor(options: TeamsSenderOptions = {}) {
    const retries = options.maxRetries ?? 4;
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    this.queue = new PacedQueue({
      minIntervalMs: options.minIntervalMs ?? 1000,
      sleep: options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
      now,
      retry: (error, attempt) => {
        const status = statusOf(error);
        if (status === undefined || !RETRYABLE.has(status) || attempt >= retries) return undefined;
        const after = retryAfterMs(error, now());
        return after === undefined
          ? { ms: backoff(attempt, random), reason: 'backoff' }
          : { ms: after, reason: 'retry-after' };
      },
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    });
  }

  /** Runs `work` for `conversation` (a channel's threads count as one) in order, paced, with retries. */
  send<T>(conversation: string, operation: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(conversation.split(';')[0] as string, operation, work);
  }
}

/** Full jitter: a random wait up to 500 ms · 2^attempt, capped at 30 s (AWS, "Exponential Backoff and Jitter"). */
function backoff(attempt: number, random: () => number): number {
  const cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return Math.max(1, Math.round(cap * random()));
}

/** The HTTP status of a connector error (`RestError.statusCode`, or the response's status). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** `Retry-After` in milliseconds, from seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = (error as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  const raw =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): string | undefined | null }).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
