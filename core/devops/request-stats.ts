/** Per-run request accounting for Azure DevOps calls. */
export interface RequestStats {
  /** Requests put on the wire, retries included. */
  sent: number;
  /** Calls that ended in a 2xx/3xx answer. */
  succeeded: number;
  /** Calls that ended in an error answer or a network failure, after retries. */
  failed: number;
  retries: number;
  /** 429 answers received. */
  throttled: number;
  /** Answers the server had delayed (`X-RateLimit-Delay`). */
  delayed: number;
  /** Calls refused locally because the endpoint's circuit was open. */
  shortCircuited: number;
}

/** Zeroed statistics for a new run. */
export function emptyRequestStats(): RequestStats {
  return {
    sent: 0,
    succeeded: 0,
    failed: 0,
    retries: 0,
    throttled: 0,
    delayed: 0,
    shortCircuited: 0,
  };
}

/** Failed ÷ finished calls, 0 when nothing finished. */
export function errorRate(stats: RequestStats): number {
  const finished = stats.succeeded + stats.failed;
  return finished === 0 ? 0 : stats.failed / finished;
}
