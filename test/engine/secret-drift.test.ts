import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { createSecretHasher } from '../../core/secrets/secret-marker.js';

const RG = '/subscriptions/s/resourceGroups/rg/providers';
const hasher = createSecretHasher('store-key');
const snapshot = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
const changesOf = (before: ArmResource, after: ArmResource, h = hasher, h2 = hasher) =>
  compareSnapshots(
    protectSnapshot(snapshot([before]), h),
    protectSnapshot(snapshot([after]), h2),
  ).findings.flatMap((f) =>
    f.changes.map((c) => ({
      path: c.path,
      secret: c.secret ?? false,
      before: c.before,
      after: c.after,
    })),
  );

const vault = (secrets: string[]): ArmResource => ({
  id: `${RG}/Microsoft.KeyVault/vaults/kv`,
  type: 'Microsoft.KeyVault/vaults',
  properties: {
    accessPolicies: [{ tenantId: 't', objectId: 'o1', permissions: { keys: ['get'], secrets } }],
  },
});
const appSettings = (value: string): ArmResource => ({
  id: `${RG}/Microsoft.Web/sites/app/config/appsettings`,
  type: 'Microsoft.Web/sites/config',
  properties: { API_KEY: value },
});
const vm = (osProfile: Record<string, unknown>): ArmResource => ({
  id: `${RG}/Microsoft.Compute/virtualMachines/vm`,
  type: 'Microsoft.Compute/virtualMachines',
  properties: { osProfile },
});

describe('secrets in the drift engine', () => {
  it('finds a widened Key Vault grant: permissions.secrets is configuration, not a secret', () => {
    expect(changesOf(vault(['get']), vault(['get', 'list', 'set', 'delete']))).toEqual([
      {
        path: 'properties.accessPolicies[objectId=o1].permissions.secrets',
        secret: false,
        before: ['get'],
        after: ['get', 'list', 'set', 'delete'],
      },
    ]);
  });

  it('finds a rotated app setting and shows it hidden', () => {
    expect(changesOf(appSettings('old-api-key-1'), appSettings('new-api-key-2'))).toEqual([
      { path: 'properties.API_KEY', secret: true, before: '(secret)', after: '(secret)' },
    ]);
  });

  it('reports nothing when a secret is unchanged', () => {
    expect(changesOf(appSettings('same-api-key'), appSettings('same-api-key'))).toEqual([]);
  });

  it('gives no false drift for a write-only value the read does not return', () => {
    expect(
      changesOf(
        vm({ adminUsername: 'u', adminPassword: 'template-pw' }),
        vm({ adminUsername: 'u' }),
      ),
    ).toEqual([]);
  });

  it('finds a write-only value that both sides have and that changed, hidden', () => {
    expect(
      changesOf(vm({ adminPassword: 'pw-before' }), vm({ adminPassword: 'pw-after' })),
    ).toEqual([
      {
        path: 'properties.osProfile.adminPassword',
        secret: true,
        before: '(secret)',
        after: '(secret)',
      },
    ]);
  });

  it('does not call secrets hashed with different keys drift (nothing can be said)', () => {
    expect(
      changesOf(
        appSettings('same-api-key'),
        appSettings('same-api-key'),
        hasher,
        createSecretHasher('other'),
      ),
    ).toEqual([]);
  });

  it('gives a rotated secret a new fingerprint, and the same rotation the same one', () => {
    const fp = (value: string) =>
      compareSnapshots(
        protectSnapshot(snapshot([appSettings('v0-original')]), hasher),
        protectSnapshot(snapshot([appSettings(value)]), hasher),
      ).findings[0]?.fingerprint;
    expect(fp('v1-rotated')).toBe(fp('v1-rotated'));
    expect(fp('v1-rotated')).not.toBe(fp('v2-rotated'));
  });
});
