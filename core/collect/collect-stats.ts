/** Request counters for one collection run (progress line, logs, the bench's table). */
export interface CollectStats {
  /** Logical requests (one per SDK call or page), counted when they start. */
  requests: number;
  /** Attempts sent, retries included. */
  attempts: number;
  /** Attempts after a request's first: the SDK's retries and re-sends after a 429. */
  retries: number;
  /** 429 responses received. */
  throttled: number;
  /** Requests the pacer held back to stay inside the limits. */
  paceWaits: number;
  /** Wall-clock time during which at least one request was held back (not a sum over requests). */
  paceWaitMs: number;
  /** Logical requests that failed after the SDK's retries. */
  failed: number;
}

/** All counters at zero. */
export function emptyStats(): CollectStats {
  return {
    requests: 0,
    attempts: 0,
    retries: 0,
    throttled: 0,
    paceWaits: 0,
    paceWaitMs: 0,
    failed: 0,
  };
}

/**
 * Retries sent on top of the logical requests. Counted per attempt, never derived as attempts −
 * requests: a request counted at its start but still waiting for the pacer made that negative.
 */
export function retriesOf(stats: CollectStats): number {
  return stats.retries;
}
