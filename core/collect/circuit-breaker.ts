import type { PacerClock } from './pacer-clock.js';

/** When a breaker opens and for how long. */
export interface CircuitBreakerOptions {
  /** Consecutive failed requests (after the SDK's retries) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails requests at once before letting one through again. */
  openMs: number;
}

/** Five failed requests in a row pause an endpoint for 30 s. */
export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, openMs: 30_000 };

/**
 * One breaker per endpoint: after `failureThreshold` consecutive failures it opens and requests
 * fail fast for `openMs`; then one trial request decides whether it closes again. Keeps a dead
 * endpoint from costing every resource the full retry ladder.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: PacerClock,
  ) {}

  /** True when a request may be sent now. */
  allow(): boolean {
    if (this.failures < this.options.failureThreshold) return true;
    if (this.clock.now() < this.openUntil || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  failed(): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.failures >= this.options.failureThreshold)
      this.openUntil = this.clock.now() + this.options.openMs;
  }

  get state(): 'closed' | 'open' {
    return this.failures >= this.options.failureThreshold ? 'open' : 'closed';
  }
}
