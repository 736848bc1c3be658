import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load-config.js';
import { ConfigError } from '../../core/errors.js';

describe('impact configuration', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-impact-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));
  const load = (yaml: string) => {
    writeFileSync(join(cwd, 'driftwatch.config.yaml'), yaml);
    return loadConfig({ cwd, env: {} }).config;
  };

  it('fills the defaults: radius on, cost off, USD, one day of cache', () => {
    const config = load('impact:\n  maxHops: 4\n');

    expect(config.impact).toEqual({
      enabled: true,
      maxHops: 4,
      raiseSeverity: true,
      production: { tagKeys: ['env', 'environment'], tagValues: ['prod', 'production'] },
      cost: {
        enabled: false,
        endpoint: 'https://prices.azure.com/api/retail/prices',
        currency: 'USD',
        cacheTtlMs: 86_400_000,
        requestsPerSecond: 4,
      },
    });
  });

  it.each([
    [
      'impact:\n  cost:\n    currency: usd\n',
      'config key "impact.cost.currency" in driftwatch.config.yaml: expected a three-letter currency code such as USD or EUR',
    ],
    ['impact:\n  maxHops: 9\n', 'config key "impact.maxHops" in driftwatch.config.yaml'],
    [
      'impact:\n  cost:\n    endpoint: ftp://prices\n',
      'config key "impact.cost.endpoint" in driftwatch.config.yaml: expected an http(s) URL such as https://prices.azure.com/api/retail/prices',
    ],
  ])('rejects %j naming the key', (yaml, message) => {
    expect(() => load(yaml)).toThrow(ConfigError);
    expect(() => load(yaml)).toThrow(message);
  });
});
