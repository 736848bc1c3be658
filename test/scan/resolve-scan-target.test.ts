import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';
import { resolveScanTarget } from '../../core/scan/resolve-scan-target.js';

const SUB = '00000000-0000-4000-8000-00000000000a';
const SUB2 = '00000000-0000-4000-8000-00000000000b';
const config = parseConfig(
  {
    scopes: {
      prod: {
        subscriptions: [SUB, SUB2],
        resourceGroups: ['rg-web'],
        excludeTypes: ['Microsoft.Web/sites/slots'],
        tags: { env: 'prod' },
        via: 'arm',
      },
    },
  },
  'test',
);

describe('resolveScanTarget', () => {
  it.each([
    [
      { name: 'prod' },
      {
        target: {
          name: 'prod',
          subscriptions: [SUB, SUB2],
          resourceGroups: ['rg-web'],
          excludeTypes: ['Microsoft.Web/sites/slots'],
          tags: { env: 'prod' },
        },
        via: 'arm',
      },
    ],
    [
      { name: 'prod', adHoc: { resourceGroups: ['rg-data'], tags: {} } },
      {
        target: {
          name: 'prod',
          subscriptions: [SUB, SUB2],
          resourceGroups: ['rg-data'],
          excludeTypes: ['Microsoft.Web/sites/slots'],
          tags: { env: 'prod' },
        },
        via: 'arm',
      },
    ],
    [{ adHoc: { subscriptions: [SUB] } }, { target: { name: `sub-${SUB}`, subscriptions: [SUB] } }],
    [
      { adHoc: { subscriptions: [SUB.toUpperCase()] } },
      { target: { name: `sub-${SUB}`, subscriptions: [SUB.toUpperCase()] } },
    ],
  ])('%o', (input, expected) => {
    expect(resolveScanTarget(config, input)).toEqual(expected);
  });

  it('names the same ad-hoc scope the same way whatever the order of flags', () => {
    const a = resolveScanTarget(config, {
      adHoc: { subscriptions: [SUB, SUB2], resourceGroups: ['b', 'a'] },
    });
    const b = resolveScanTarget(config, {
      adHoc: { subscriptions: [SUB2, SUB], resourceGroups: ['A', 'B'] },
    });

    expect(a.target.name).toBe(b.target.name);
  });

  it.each([
    [{ name: 'dev' }, 'no scope named "dev" in the config; known scopes: prod'],
    [
      {},
      'say what to scan: a scope name from the config (driftwatch scan prod) or --subscription ID',
    ],
  ])('%o fails: %s', (input, message) => {
    expect(() => resolveScanTarget(config, input)).toThrow(message);
  });
});
