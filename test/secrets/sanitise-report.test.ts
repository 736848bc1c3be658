import { describe, expect, it } from 'vitest';
import type { Change, Finding } from '../../core/model/report.js';
import { sanitiseReport } from '../../core/secrets/sanitise-report.js';
import { createSecretHasher } from '../../core/secrets/secret-marker.js';
import { sampleReport } from '../task/sample-report.js';

const RG = '/subscriptions/s/resourceGroups/rg/providers';

function sanitised(resourceType: string, resourceId: string, change: Partial<Change>): Change {
  const finding: Finding = {
    resourceId,
    resourceType,
    resourceName: 'r',
    change: 'modified',
    severity: 'medium',
    fingerprint: 'fp',
    rule: 'property-changed',
    why: 'w',
    changes: [
      { path: 'x', before: 'a', after: 'b', severity: 'medium', rule: 'r', why: 'w', ...change },
    ],
  };
  return sanitiseReport(sampleReport([finding])).findings[0]?.changes[0] as Change;
}

describe('sanitiseReport', () => {
  describe('hides values at secret paths, even when they were not hashed', () => {
    it.each([
      [
        'an app setting',
        'Microsoft.Web/sites/config',
        `${RG}/Microsoft.Web/sites/a/config/appsettings`,
        'properties.API_KEY',
      ],
      [
        'a connection string',
        'Microsoft.Web/sites/config',
        `${RG}/Microsoft.Web/sites/a/config/connectionstrings`,
        'properties.Db.value',
      ],
      [
        'an ACI secureValue',
        'Microsoft.ContainerInstance/containerGroups',
        `${RG}/Microsoft.ContainerInstance/containerGroups/c`,
        'properties.containers[web].properties.environmentVariables[P].secureValue',
      ],
      [
        'a Key Vault secret value',
        'Microsoft.KeyVault/vaults/secrets',
        `${RG}/Microsoft.KeyVault/vaults/kv/secrets/s`,
        'properties.value',
      ],
      [
        'a write-only password',
        'Microsoft.Compute/virtualMachines',
        `${RG}/Microsoft.Compute/virtualMachines/vm`,
        'properties.osProfile.adminPassword',
      ],
    ])('%s', (_name, type, id, path) => {
      expect(
        sanitised(type, id, { path, before: 'old-value-1', after: 'new-value-2' }),
      ).toMatchObject({
        before: '(secret)',
        after: '(secret)',
        secret: true,
      });
    });
  });

  describe('masks secrets inside values by pattern', () => {
    const type = 'Microsoft.Storage/storageAccounts';
    const id = `${RG}/Microsoft.Storage/storageAccounts/st`;
    it.each([
      ['AccountKey', 'A=1;AccountKey=abc123==', 'A=1;AccountKey=***'],
      ['a SAS sig', 'https://h/c?sv=1&sig=abc%3D', 'https://h/c?sv=1&sig=***'],
      ['a JWT', 'eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl', '***'],
      ['a PEM key', '-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----', '***'],
      ['a marker', createSecretHasher('k').mark('v'), '(secret)'],
    ])('%s', (_name, after, shown) => {
      expect(sanitised(type, id, { path: 'properties.description', after })).toMatchObject({
        after: shown,
        secret: true,
      });
    });

    it('hides a tag value that looks like a key, not an ordinary one', () => {
      expect(
        sanitised(type, id, {
          path: 'tags.k',
          before: 'prod',
          after: 'QwErTy0123456789AbCdEfGhQwErTy0123',
        }),
      ).toMatchObject({ before: 'prod', after: '(secret)', secret: true });
      expect(sanitised(type, id, { path: 'tags.env', before: 'prod', after: 'dev' })).toEqual(
        expect.not.objectContaining({ secret: true }),
      );
    });
  });

  it('is idempotent', () => {
    const report = sanitiseReport(sampleReport());
    expect(sanitiseReport(report)).toEqual(report);
  });
});
