/**
 * TSTU-style throttling as Azure DevOps documents it (learn.microsoft.com/azure/devops/integrate/
 * concepts/rate-limits): usage counted in a sliding window; near the limit the response carries
 * `X-RateLimit-*` headers; over it requests are first delayed (`X-RateLimit-Delay`, still 200),
 * then blocked with 429 and `Retry-After`. Each request costs `costPerRequest` units here.
 */
export interface SimRateLimitOptions {
  /** Units allowed in the window before delays start. */
  limit: number;
  windowMs: number;
  /** Units at which requests are blocked with 429 (default limit × 1.25). */
  blockAt?: number;
  /** How long a delayed request is held, real milliseconds (default 20). */
  delayMs?: number;
  costPerRequest?: number;
  /** Usage share from which the informational headers are sent (default 0.8). */
  warnAt?: number;
}

export interface RateDecision {
  outcome: 'ok' | 'delayed' | 'blocked';
  headers: Record<string, string>;
  delayMs: number;
}

/** A sliding-window usage counter over the simulator's clock. */
export class SimRateLimit {
  private readonly used: number[] = [];

  constructor(
    private readonly options: SimRateLimitOptions,
    private readonly now: () => number,
  ) {}

  /** Counts one request and says whether to serve, delay or block it. */
  admit(): RateDecision {
    const { limit, windowMs } = this.options;
    const cost = this.options.costPerRequest ?? 1;
    const blockAt = this.options.blockAt ?? Math.ceil(limit * 1.25);
    const now = this.now();
    while (this.used.length > 0 && (this.used[0] as number) <= now - windowMs) this.used.shift();
    const usage = this.used.length * cost + cost;
    const oldest = this.used[0] ?? now;
    const retryAfter = String(Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)));
    const reset = String(Math.ceil((now + windowMs) / 1000));
    const info = {
      'X-RateLimit-Resource': 'Core',
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - usage)),
      'X-RateLimit-Reset': reset,
    };
    if (usage > blockAt) {
      // Blocked requests are not counted: a client that waits as told recovers.
      return { outcome: 'blocked', headers: { ...info, 'Retry-After': retryAfter }, delayMs: 0 };
    }
    this.used.push(now);
    if (usage > limit) {
      const delayMs = this.options.delayMs ?? 20;
      return {
        outcome: 'delayed',
        headers: {
          ...info,
          'Retry-After': retryAfter,
          'X-RateLimit-Delay': (delayMs / 1000).toFixed(3),
        },
        delayMs,
      };
    }
    const warn = usage >= limit * (this.options.warnAt ?? 0.8);
    return { outcome: 'ok', headers: warn ? info : {}, delayMs: 0 };
  }
}
