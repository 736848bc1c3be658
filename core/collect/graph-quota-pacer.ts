import type { PacerClock } from './pacer-clock.js';

/**
 * Paces Resource Graph queries by the user quota the service reports on every response:
 * `x-ms-user-quota-remaining` (queries left) and `x-ms-user-quota-resets-after` (`hh:mm:ss`)
 * (learn.microsoft.com, "Guidance for throttled requests": about 15 queries per 5 s per user).
 * With none left, the next query waits for the reset instead of drawing a 429.
 */
export class GraphQuotaPacer {
  private remaining: number | undefined;
  private resetAt = 0;

  constructor(private readonly clock: PacerClock) {}

  /** Waits, if the quota is spent, until it resets. Returns the wait in ms. */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.clock.now();
    if (now >= this.resetAt) this.remaining = undefined;
    if (this.remaining !== undefined && this.remaining <= 0) {
      const waitMs = this.resetAt - now;
      await this.clock.sleep(waitMs, signal);
      this.remaining = undefined;
      return waitMs;
    }
    if (this.remaining !== undefined) this.remaining -= 1;
    return 0;
  }

  /** After a 429 nothing is left until the reset the response announced (observed first). */
  exhausted(): void {
    this.remaining = 0;
  }

  /** Reads the quota headers of a response (any status). */
  observe(remaining: string | undefined, resetsAfter: string | undefined): void {
    const left = remaining === undefined ? Number.NaN : Number(remaining);
    const resetMs = parseResetsAfter(resetsAfter);
    if (!Number.isFinite(left) || resetMs === undefined) return;
    this.remaining = left;
    this.resetAt = this.clock.now() + resetMs;
  }
}

/** `hh:mm:ss` (optionally with fractional seconds) to milliseconds. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
}
