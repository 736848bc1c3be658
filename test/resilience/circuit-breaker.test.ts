import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../core/resilience/circuit-breaker.js';
import { fakeTime } from '../devops/devops-test-kit.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold, refuses during the cooldown, then lets one trial through', async () => {
    const time = fakeTime('2026-11-21T12:00:00Z');
    const breaker = new CircuitBreaker({
      threshold: 2,
      cooldownMs: 30_000,
      now: () => time.clock.now().getTime(),
    });

    breaker.failed('GET /builds');
    const afterOne = breaker.allow('GET /builds');
    breaker.failed('GET /builds');
    const whileOpen = breaker.allow('GET /builds');
    await time.sleep(30_000);
    const trial = breaker.allow('GET /builds');
    const secondDuringTrial = breaker.allow('GET /builds');
    breaker.succeeded('GET /builds');

    expect([afterOne, whileOpen, trial, secondDuringTrial, breaker.allow('GET /builds')]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(breaker.allow('GET /repositories')).toBe(true);
  });

  it('resets the failure count on a success', () => {
    const breaker = new CircuitBreaker({ threshold: 2, cooldownMs: 1_000, now: () => 0 });
    breaker.failed('host');
    breaker.succeeded('host');
    breaker.failed('host');

    expect(breaker.allow('host')).toBe(true);
    expect(breaker.openEndpoints()).toEqual([]);
  });

  it('reopens when the half-open trial fails', async () => {
    const time = fakeTime('2026-11-21T12:00:00Z');
    const breaker = new CircuitBreaker({
      threshold: 1,
      cooldownMs: 10_000,
      now: () => time.clock.now().getTime(),
    });
    breaker.failed('k');
    await time.sleep(10_000);
    breaker.allow('k');

    breaker.failed('k');

    expect(breaker.allow('k')).toBe(false);
    expect(breaker.openEndpoints()).toEqual(['k']);
  });
});
