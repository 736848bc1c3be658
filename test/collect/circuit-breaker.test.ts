import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../core/collect/circuit-breaker.js';
import { fakePacerClock } from './fake-pacer-clock.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and lets one trial through later', async () => {
    const clock = fakePacerClock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000 }, clock);
    breaker.failed();
    breaker.failed();
    expect(breaker.allow()).toBe(true);
    breaker.failed();

    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    await clock.advance(1_000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('a success resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 }, fakePacerClock());
    breaker.failed();
    breaker.succeeded();
    breaker.failed();

    expect(breaker.state).toBe('closed');
  });
});
