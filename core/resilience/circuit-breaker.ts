/** Thresholds and the clock of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed requests (after retries) that open the circuit. */
  threshold: number;
  /** How long an open circuit refuses before letting one trial through (half-open). */
  cooldownMs: number;
  /** Milliseconds now (wall or monotonic), injected so tests use fake time. */
  now: () => number;
}

type State =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number }
  | { kind: 'half-open' };

/**
 * Circuit breakers keyed by endpoint (the ARM collector keys by host, Azure DevOps by method and
 * folded path): stops hammering an endpoint that keeps failing, then lets a single
 * trial through after the cooldown; its success closes the circuit, its failure reopens it.
 */
export class CircuitBreaker {
  private readonly states = new Map<string, State>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** True when a request to `key` may go out now (a half-open trial counts as allowed once). */
  allow(key: string): boolean {
    const state = this.states.get(key);
    if (!state || state.kind === 'closed') return true;
    if (state.kind === 'half-open') return false;
    if (this.options.now() < state.until) return false;
    this.states.set(key, { kind: 'half-open' });
    return true;
  }

  succeeded(key: string): void {
    this.states.set(key, { kind: 'closed', failures: 0 });
  }

  failed(key: string): void {
    const state = this.states.get(key) ?? { kind: 'closed', failures: 0 };
    const failures = state.kind === 'closed' ? state.failures + 1 : this.options.threshold;
    if (failures >= this.options.threshold) {
      this.states.set(key, {
        kind: 'open',
        until: this.options.now() + this.options.cooldownMs,
      });
    } else {
      this.states.set(key, { kind: 'closed', failures });
    }
  }

  /** Endpoints whose circuit is open or half-open now. */
  openEndpoints(): string[] {
    return [...this.states].filter(([, s]) => s.kind !== 'closed').map(([k]) => k);
  }
}
