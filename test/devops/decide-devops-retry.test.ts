import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../../core/devops/decide-devops-retry.js';
import { readRateLimitHeaders } from '../../core/devops/read-rate-limit-headers.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.5 };

describe('readRateLimitHeaders', () => {
  it.each([
    [{ 'retry-after': '30' }, { retryAfterMs: 30_000 }],
    [{ 'retry-after': 'Sat, 21 Nov 2026 12:00:20 GMT' }, { retryAfterMs: 20_000 }],
    [
      { 'x-ratelimit-delay': '0.125', 'x-ratelimit-remaining': '0' },
      { delayedMs: 125, remaining: 0 },
    ],
    [
      { 'x-ratelimit-reset': '1795348860', 'x-ratelimit-resource': 'Core' },
      { resetAtMs: 1_795_348_860_000, resource: 'Core' },
    ],
    [
      { 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '12' },
      { limit: 200, remaining: 12 },
    ],
    [{ 'retry-after': 'soon' }, {}],
    [{}, {}],
  ])('reads %j', (headers, expected) => {
    expect(readRateLimitHeaders(headers, NOW)).toEqual(expected);
  });
});

describe('decideRetry', () => {
  it.each([
    [
      '429 with Retry-After waits that long plus jitter',
      { status: 429, rate: { retryAfterMs: 10_000 } },
      { retry: true, waitMs: 10_500, pauseAllMs: 10_500, reason: 'throttled' },
    ],
    [
      '429 without Retry-After waits until the reset',
      { status: 429, rate: { resetAtMs: NOW + 4_000 } },
      { retry: true, waitMs: 4_200, pauseAllMs: 4_200, reason: 'throttled' },
    ],
    [
      '429 with neither backs off exponentially',
      { status: 429, rate: {}, attempt: 2 },
      { retry: true, waitMs: 4_200, pauseAllMs: 4_200, reason: 'throttled' },
    ],
    [
      '429 past the cap is not retried',
      { status: 429, rate: { retryAfterMs: 1_000 }, attempt: 5 },
      { retry: false, waitMs: 1_050, pauseAllMs: 1_050, reason: 'throttled' },
    ],
    [
      '503 backs off with equal jitter, alone',
      { status: 503, rate: {}, attempt: 1 },
      { retry: true, waitMs: 1_500, pauseAllMs: 0, reason: 'server-error' },
    ],
    [
      'a served but delayed answer pauses everyone without a retry',
      { status: 200, rate: { retryAfterMs: 3_000, delayedMs: 200 } },
      { retry: false, waitMs: 0, pauseAllMs: 3_000, reason: 'none' },
    ],
    [
      'no TSTUs left pauses everyone until the window frees one unit (reset ÷ limit)',
      { status: 200, rate: { remaining: 0, resetAtMs: NOW + 60_000, limit: 200 } },
      { retry: false, waitMs: 0, pauseAllMs: 300, reason: 'none' },
    ],
    [
      'no TSTUs left without a limit header pauses until the reset, at most 30 s',
      { status: 200, rate: { remaining: 0, resetAtMs: NOW + 60_000 } },
      { retry: false, waitMs: 0, pauseAllMs: 30_000, reason: 'none' },
    ],
    [
      '404 is final',
      { status: 404, rate: {} },
      { retry: false, waitMs: 0, pauseAllMs: 0, reason: 'none' },
    ],
    [
      'a reset connection is retried',
      { networkCode: 'ECONNRESET', rate: {} },
      { retry: true, waitMs: 750, pauseAllMs: 0, reason: 'network' },
    ],
    [
      'a refused connection (wrong URL) is not',
      { networkCode: 'ECONNREFUSED', rate: {} },
      { retry: false, waitMs: 0, pauseAllMs: 0, reason: 'none' },
    ],
  ] as const)('%s', (_name, input, expected) => {
    expect(decideRetry({ attempt: 0, nowMs: NOW, policy, ...input })).toEqual(expected);
  });
});
