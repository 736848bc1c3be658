/** Request counters for one collection run (progress line, logs, the bench's table). */
export interface CollectStats {
  /** Logical requests (one per SDK call or page), before retries. */
  requests: number;
  /** Attempts sent, retries included. */
  attempts: number;
  /** 429 responses received. */
  throttled: number;
  /** Times the pacer held a request back to stay inside the limits, and for how long in total. */
  paceWaits: number;
  paceWaitMs: number;
  /** Logical requests that failed after the SDK's retries. */
  failed: number;
}

/** All counters at zero. */
export function emptyStats(): CollectStats {
  return { requests: 0, attempts: 0, throttled: 0, paceWaits: 0, paceWaitMs: 0, failed: 0 };
}

/** Retries sent on top of the logical requests. */
export function retriesOf(stats: CollectStats): number {
  return stats.attempts - stats.requests;
}
