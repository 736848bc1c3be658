/**
 * ARM's throttling model (learn.microsoft.com, "Understand how Azure Resource Manager throttles
 * requests", 2025): a token bucket per subscription, principal and operation kind — reads 250
 * burst, 25/s refill; writes and deletes 200 burst, 10/s — plus a global per-subscription bucket
 * 15× the per-principal size across all principals.
 */
export interface BucketLimits {
  burst: number;
  refillPerSecond: number;
}

export const ARM_READS: BucketLimits = { burst: 250, refillPerSecond: 25 };
export const ARM_WRITES: BucketLimits = { burst: 200, refillPerSecond: 10 };

/** Resource Graph: at most 15 queries per user per 5-second window (docs, "throttled requests"). */
export interface GraphQuotaLimits {
  queries: number;
  windowMs: number;
}

export const GRAPH_QUOTA: GraphQuotaLimits = { queries: 15, windowMs: 5_000 };

/** A continuously refilled token bucket, as ARM's regional throttling describes it. */
export class SimTokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limits: BucketLimits,
    private readonly now: () => number,
  ) {
    this.tokens = limits.burst;
    this.at = now();
  }

  /** Takes one token; returns the remaining whole tokens, or the wait in ms when empty. */
  take(): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
    this.refill();
    if (this.tokens < 1) {
      return { ok: false, retryAfterMs: ((1 - this.tokens) / this.limits.refillPerSecond) * 1000 };
    }
    this.tokens -= 1;
    return { ok: true, remaining: Math.floor(this.tokens) };
  }

  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(
      this.limits.burst,
      this.tokens + ((t - this.at) / 1000) * this.limits.refillPerSecond,
    );
    this.at = t;
  }
}

/** Resource Graph's per-user fixed window: `queries` per `windowMs`, starting at the first query. */
export class SimGraphQuota {
  private used = 0;
  private windowEnds = 0;

  constructor(
    private readonly limits: GraphQuotaLimits,
    private readonly now: () => number,
  ) {}

  take(): { ok: boolean; remaining: number; resetsAfterMs: number } {
    const t = this.now();
    if (t >= this.windowEnds) {
      this.used = 0;
      this.windowEnds = t + this.limits.windowMs;
    }
    const resetsAfterMs = this.windowEnds - t;
    if (this.used >= this.limits.queries) return { ok: false, remaining: 0, resetsAfterMs };
    this.used += 1;
    return { ok: true, remaining: this.limits.queries - this.used, resetsAfterMs };
  }
}

/** `hh:mm:ss`, rounded up to whole seconds, as `x-ms-user-quota-resets-after` is written. */
export function formatResetsAfter(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}
