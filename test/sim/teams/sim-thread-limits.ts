/** One sliding window: at most `max` operations in `seconds`. */
export interface ThreadLimit {
  seconds: number;
  max: number;
}

/**
 * Teams' documented "per bot per thread" limits for sending to one conversation (Optimize your bot
 * with rate limiting: 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1,800 per hour).
 */
export const TEAMS_THREAD_LIMITS: ThreadLimit[] = [
  { seconds: 1, max: 7 },
  { seconds: 2, max: 8 },
  { seconds: 30, max: 60 },
  { seconds: 3600, max: 1800 },
];

/** Sliding-window counters per conversation; `take` says whether one more send is allowed now. */
export class SimThreadLimits {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limits: ThreadLimit[],
    private readonly now: () => number,
  ) {}

  /** Records a send and returns true, or returns false (and records nothing) when over a limit. */
  take(conversationId: string): boolean {
    const at = this.now();
    const longest = Math.max(0, ...this.limits.map((l) => l.seconds)) * 1000;
    const times = (this.sent.get(conversationId) ?? []).filter((t) => at - t < longest);
    const over = this.limits.some(
      (limit) => times.filter((t) => at - t < limit.seconds * 1000).length >= limit.max,
    );
    if (!over) times.push(at);
    this.sent.set(conversationId, times);
    return !over;
  }
}
