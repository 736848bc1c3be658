import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';

const SHA = 'a'.repeat(64);

describe('the api section of the config', () => {
  it('fills defaults for keys and Entra roles', () => {
    const config = parseConfig(
      {
        api: {
          keys: [{ name: 'ci', sha256: SHA, read: ['prod'] }],
          entra: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', audience: 'api://driftwatch' },
        },
      },
      'test config',
    );
    expect(config.api).toEqual({
      keys: [{ name: 'ci', sha256: SHA, read: ['prod'], change: [] }],
      entra: {
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        audience: 'api://driftwatch',
        authority: 'https://login.microsoftonline.com',
        readRoles: ['Driftwatch.Read'],
        adminRoles: ['Driftwatch.Admin'],
        readGroups: [],
        adminGroups: [],
        scopes: ['*'],
      },
      linkTtl: '7d',
    });
  });

  it.each([
    [
      { keys: [{ name: 'ci', sha256: 'not-a-hash' }] },
      "expected the key's SHA-256 as 64 lower-case hex digits",
    ],
    [
      {
        keys: [
          { name: 'ci', sha256: SHA },
          { name: 'ci', sha256: 'b'.repeat(64) },
        ],
      },
      'duplicate key name "ci"',
    ],
    [{ keys: [{ name: 'ci', sha256: SHA, key: 'dwk_x' }] }, 'key'],
    [
      { entra: { tenantId: 'contoso', audience: 'api://driftwatch' } },
      'expected the tenant id (a GUID)',
    ],
    [{ linkTtl: 'forever' }, 'expected a duration'],
  ])('refuses %j naming the problem', (api, message) => {
    expect(() => parseConfig({ api }, 'test config')).toThrow(message);
  });
});
