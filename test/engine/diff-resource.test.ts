import { describe, expect, it } from 'vitest';
import { compileNoise } from '../../core/engine/compile-noise.js';
import { diffResource } from '../../core/engine/diff-resource.js';

const noise = compileNoise();
const ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp';

function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  type = 'Microsoft.Storage/storageAccounts',
) {
  const suppressed = new Map<string, number>();
  const changes = diffResource(
    { id: ID, ...before },
    { id: ID, ...after },
    { noise, trie: noise.trieFor(type), suppressed },
  );
  return { changes, suppressed: Object.fromEntries(suppressed) };
}

describe('diffResource', () => {
  describe('never reports platform noise as drift', () => {
    it.each([
      ['top-level etag', { etag: 'W/"1"' }, { etag: 'W/"2"' }, 'etag'],
      [
        'etag nested in a sub-resource',
        { properties: { subnets: [{ name: 's1', etag: 'a' }] } },
        { properties: { subnets: [{ name: 's1', etag: 'b' }] } },
        'etag',
      ],
      [
        'provisioningState',
        { properties: { provisioningState: 'Succeeded' } },
        { properties: { provisioningState: 'Updating' } },
        'provisioning-state',
      ],
      [
        'nested provisioningState',
        { properties: { rules: [{ name: 'r', properties: { provisioningState: 'Succeeded' } }] } },
        { properties: { rules: [{ name: 'r', properties: { provisioningState: 'Failed' } }] } },
        'provisioning-state',
      ],
      [
        'systemData',
        { systemData: { lastModifiedAt: '2026-01-01T00:00:00Z' } },
        { systemData: { lastModifiedAt: '2026-11-01T00:00:00Z' } },
        'system-data',
      ],
      [
        'resourceGuid',
        { properties: { resourceGuid: 'a' } },
        { properties: { resourceGuid: 'b' } },
        'resource-guid',
      ],
      [
        'identity.principalId',
        { identity: { type: 'SystemAssigned', principalId: 'p1', tenantId: 't1' } },
        { identity: { type: 'SystemAssigned', principalId: 'p2', tenantId: 't2' } },
        'managed-identity-ids',
        2,
      ],
      [
        'user-assigned identity ids',
        { identity: { userAssignedIdentities: { '/x/uai': { principalId: 'a', clientId: 'b' } } } },
        { identity: { userAssignedIdentities: { '/x/uai': { principalId: 'c', clientId: 'd' } } } },
        'managed-identity-ids',
        2,
      ],
      [
        'lastModifiedTimeUtc',
        { properties: { lastModifiedTimeUtc: '2026-01-01' } },
        { properties: { lastModifiedTimeUtc: '2026-02-01' } },
        'timestamps',
      ],
      [
        'changedTime',
        { properties: { changedTime: 'a' } },
        { properties: { changedTime: 'b' } },
        'timestamps',
      ],
      [
        'createdAt',
        { properties: { createdAt: 'a' } },
        { properties: { createdAt: 'b' } },
        'timestamps',
      ],
      [
        'last…Time names',
        { properties: { encryption: { services: { blob: { lastEnabledTime: 'a' } } } } },
        { properties: { encryption: { services: { blob: { lastEnabledTime: 'b' } } } } },
        'timestamps',
      ],
      [
        'instanceView',
        { properties: { instanceView: { statuses: [1] } } },
        { properties: { instanceView: { statuses: [2] } } },
        'runtime-status',
      ],
    ])('%s', (_name, before, after, rule, count = 1) => {
      const { changes, suppressed } = diff(before, after);
      expect(changes).toEqual([]);
      expect(suppressed).toEqual({ [rule]: count });
    });
  });

  describe('treats equivalent values as equal', () => {
    it.each([
      ['id casing', { id: ID }, { id: ID.replace('resourceGroups', 'resourcegroups') }],
      [
        'type casing',
        { type: 'Microsoft.Storage/storageAccounts' },
        { type: 'microsoft.storage/storageaccounts' },
      ],
      [
        'nested resource id casing',
        { properties: { subnet: { id: '/subscriptions/x/resourceGroups/RG/providers/A/b/c' } } },
        { properties: { subnet: { id: '/subscriptions/x/resourcegroups/rg/providers/a/b/c' } } },
      ],
      ['location display name', { location: 'East US 2' }, { location: 'eastus2' }],
      ['null vs absent', { properties: { a: null } }, { properties: {} }],
      ['[] vs absent', { properties: { a: [] } }, { properties: {} }],
      ['{} vs null', { properties: { a: {} } }, { properties: { a: null } }],
      [
        'named array order',
        {
          properties: {
            rules: [
              { name: 'a', v: 1 },
              { name: 'b', v: 2 },
            ],
          },
        },
        {
          properties: {
            rules: [
              { name: 'b', v: 2 },
              { name: 'a', v: 1 },
            ],
          },
        },
      ],
      [
        'id-keyed array order',
        {
          properties: {
            refs: [
              { id: '/x/1', v: 1 },
              { id: '/x/2', v: 2 },
            ],
          },
        },
        {
          properties: {
            refs: [
              { id: '/x/2', v: 2 },
              { id: '/x/1', v: 1 },
            ],
          },
        },
      ],
      [
        'scalar list order',
        { properties: { addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] } },
        { properties: { addressPrefixes: ['10.1.0.0/16', '10.0.0.0/16'] } },
      ],
    ])('%s', (_name, before, after) => {
      expect(diff(before, after).changes).toEqual([]);
    });
  });

  it('reports a tag value case change as drift (values compare exactly)', () => {
    expect(diff({ tags: { env: 'prod' } }, { tags: { env: 'Prod' } }).changes).toEqual([
      { path: 'tags.env', before: 'prod', after: 'Prod' },
    ]);
  });

  it('addresses named array elements by name in brackets', () => {
    const before = {
      properties: {
        securityRules: [{ name: 'allow-ssh', properties: { sourceAddressPrefix: '10.10.0.4/32' } }],
      },
    };
    const after = {
      properties: {
        securityRules: [{ name: 'allow-ssh', properties: { sourceAddressPrefix: '*' } }],
      },
    };
    expect(diff(before, after, 'Microsoft.Network/networkSecurityGroups').changes).toEqual([
      {
        path: 'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
        before: '10.10.0.4/32',
        after: '*',
      },
    ]);
  });

  it('matches unnamed array elements by content, not by index', () => {
    expect(
      diff(
        { properties: { list: [{ a: 1 }, { a: 2 }] } },
        { properties: { list: [{ a: 3 }, { a: 1 }] } },
      ).changes,
    ).toEqual([{ path: 'properties.list[#7e8059f4].a', before: 2, after: 3 }]);
  });

  it('reports an added named element as one change, without its noise', () => {
    const after = {
      properties: {
        rules: [
          { name: 'new', etag: 'x', properties: { provisioningState: 'Succeeded', port: 22 } },
        ],
      },
    };
    expect(diff({}, after).changes).toEqual([
      {
        path: 'properties.rules[new]',
        before: undefined,
        after: { name: 'new', properties: { port: 22 } },
      },
    ]);
  });

  it('reports a changed scalar list as one change with both lists', () => {
    expect(
      diff(
        { properties: { ipRules: ['1.1.1.1'] } },
        { properties: { ipRules: ['1.1.1.1', '2.2.2.2'] } },
      ).changes,
    ).toEqual([{ path: 'properties.ipRules', before: ['1.1.1.1'], after: ['1.1.1.1', '2.2.2.2'] }]);
  });

  it('never compares or prints write-only secrets', () => {
    const before = {
      properties: {
        osProfile: { adminPassword: 'hunter2', adminUsername: 'a' },
        connectionString: 'AccountKey=x',
      },
    };
    const after = { properties: { osProfile: { adminUsername: 'b' } } };
    const { changes, suppressed } = diff(before, after);
    expect(changes).toEqual([
      { path: 'properties.osProfile.adminUsername', before: 'a', after: 'b' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('hunter2');
    expect(suppressed).toEqual({});
  });

  it('drops secrets from an added object it prints', () => {
    const after = { properties: { osProfile: { adminUsername: 'b', adminPassword: 'hunter2' } } };
    expect(diff({}, after).changes).toEqual([
      { path: 'properties.osProfile.adminUsername', before: undefined, after: 'b' },
    ]);
  });

  it('does not read prototype members for property names like "constructor"', () => {
    expect(
      diff({ properties: { constructor: 'x' } }, { properties: { constructor: 'x' } }).changes,
    ).toEqual([]);
    expect(diff({ properties: {} }, { properties: { toString: 'y' } }).changes).toEqual([
      { path: 'properties.toString', before: undefined, after: 'y' },
    ]);
  });

  it('reports a property swapped for another of a different name (same count on both sides)', () => {
    expect(
      diff(
        { properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false } },
        { properties: { minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Enabled' } },
      ).changes,
    ).toEqual([
      { path: 'properties.allowBlobPublicAccess', before: false, after: undefined },
      { path: 'properties.publicNetworkAccess', before: undefined, after: 'Enabled' },
    ]);
  });

  it('matches catalogue paths whatever the case of the property names', () => {
    // `identity.principalId` (a path entry, not a key name) is noise however ARM spells it.
    expect(
      diff({ Identity: { PrincipalID: 'p-1' } }, { Identity: { PrincipalID: 'p-2' } }),
    ).toEqual({ changes: [], suppressed: { 'managed-identity-ids': 1 } });
  });

  it('applies per-type catalogue entries only to their type', () => {
    const before = { properties: { state: 'Running' } };
    const after = { properties: { state: 'Stopped' } };
    expect(diff(before, after, 'Microsoft.Web/sites').changes).toEqual([]);
    expect(diff(before, after, 'Microsoft.Storage/storageAccounts').changes).toEqual([
      { path: 'properties.state', before: 'Running', after: 'Stopped' },
    ]);
  });
});
