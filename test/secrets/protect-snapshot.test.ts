import { describe, expect, it } from 'vitest';
import type { ArmResource } from '../../core/model/resource.js';
import { protectResource, protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { createSecretHasher, isSecretMarker } from '../../core/secrets/secret-marker.js';
import { SEEDED_SECRETS, secretNeedles, seededSnapshots } from './seeded-secrets.js';

const hasher = createSecretHasher('test-key');
const RG = '/subscriptions/s/resourceGroups/rg/providers';
const mark = (v: unknown) => hasher.mark(v);

function protect(resource: Omit<ArmResource, 'id'> & { id?: string }): Record<string, unknown> {
  return protectResource({ id: `${RG}/Microsoft.Storage/storageAccounts/st`, ...resource }, hasher);
}

describe('protectSnapshot', () => {
  describe('replaces secrets inside text by value pattern, keeping the rest', () => {
    const key88 = `${'k'.repeat(43)}A1${'k'.repeat(41)}==`;
    it.each([
      [
        'a storage connection string key',
        `DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${key88};EndpointSuffix=x`,
        `DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${mark(key88)};EndpointSuffix=x`,
      ],
      [
        'a Service Bus shared access key',
        'Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=abcDEF123=',
        `Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=${mark('abcDEF123=')}`,
      ],
      [
        'a SQL Password',
        'Server=tcp:db;Password=Hunter2!;Encrypt=true',
        `Server=tcp:db;Password=${mark('Hunter2!')};Encrypt=true`,
      ],
      ['a short Pwd', 'Uid=a;Pwd=s3cr3t-x', `Uid=a;Pwd=${mark('s3cr3t-x')}`],
      [
        'a SAS sig in a URL query',
        'https://st.blob.core.windows.net/c?sv=2022&sig=AbC%3D&se=2030',
        `https://st.blob.core.windows.net/c?sv=2022&sig=${mark('AbC%3D')}&se=2030`,
      ],
      [
        'a JWT',
        'token eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl end',
        `token ${mark('eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl')} end`,
      ],
      [
        'a PEM private key',
        'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\nrest',
        `key:\n${mark('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----')}\nrest`,
      ],
      [
        'a password in a URL',
        'https://deploy:P4ss-w0rd@app.scm.azurewebsites.net',
        `https://deploy:${mark('P4ss-w0rd')}@app.scm.azurewebsites.net`,
      ],
      ['a bare account key', key88, mark(key88)],
    ])('%s', (_name, input, expected) => {
      expect(protect({ properties: { description: input } })).toEqual({
        id: `${RG}/Microsoft.Storage/storageAccounts/st`,
        properties: { description: expected },
      });
    });
  });

  describe('replaces whole values at secret paths', () => {
    it.each([
      [
        'an App Service app setting',
        'Microsoft.Web/sites/config',
        `${RG}/Microsoft.Web/sites/app/config/appsettings`,
        { properties: { API_KEY: 'plain-api-key', EMPTY: '' } },
        { properties: { API_KEY: mark('plain-api-key'), EMPTY: '' } },
      ],
      [
        'a slot app setting',
        'Microsoft.Web/sites/slots/config',
        `${RG}/Microsoft.Web/sites/app/slots/staging/config/appsettings`,
        { properties: { API_KEY: 'plain-api-key' } },
        { properties: { API_KEY: mark('plain-api-key') } },
      ],
      [
        'a connection string value (its type stays readable)',
        'Microsoft.Web/sites/config',
        `${RG}/Microsoft.Web/sites/app/config/connectionstrings`,
        { properties: { Db: { value: 'Server=x;Uid=a', type: 'SQLAzure' } } },
        { properties: { Db: { value: mark('Server=x;Uid=a'), type: 'SQLAzure' } } },
      ],
      [
        'an app setting inlined in the site',
        'Microsoft.Web/sites',
        `${RG}/Microsoft.Web/sites/app`,
        { properties: { siteConfig: { appSettings: [{ name: 'K', value: 'plain-value' }] } } },
        {
          properties: { siteConfig: { appSettings: [{ name: 'K', value: mark('plain-value') }] } },
        },
      ],
      [
        'an ACI secureValue',
        'Microsoft.ContainerInstance/containerGroups',
        `${RG}/Microsoft.ContainerInstance/containerGroups/aci`,
        {
          properties: {
            containers: [
              {
                name: 'c',
                properties: { environmentVariables: [{ name: 'P', secureValue: 'sv-1' }] },
              },
            ],
          },
        },
        {
          properties: {
            containers: [
              {
                name: 'c',
                properties: { environmentVariables: [{ name: 'P', secureValue: mark('sv-1') }] },
              },
            ],
          },
        },
      ],
      [
        'a Key Vault secret value',
        'Microsoft.KeyVault/vaults/secrets',
        `${RG}/Microsoft.KeyVault/vaults/kv/secrets/s`,
        { properties: { value: 'kv-secret-1', contentType: 'text/plain' } },
        { properties: { value: mark('kv-secret-1'), contentType: 'text/plain' } },
      ],
      [
        'a write-only adminPassword',
        'Microsoft.Compute/virtualMachines',
        `${RG}/Microsoft.Compute/virtualMachines/vm`,
        { properties: { osProfile: { adminPassword: 'pw-1', adminUsername: 'u' } } },
        { properties: { osProfile: { adminPassword: mark('pw-1'), adminUsername: 'u' } } },
      ],
      [
        'protectedSettings (an object)',
        'Microsoft.Compute/virtualMachines/extensions',
        `${RG}/Microsoft.Compute/virtualMachines/vm/extensions/e`,
        { properties: { protectedSettings: { commandToExecute: 'x' } } },
        { properties: { protectedSettings: mark({ commandToExecute: 'x' }) } },
      ],
      [
        'a tag whose value looks like a key',
        'Microsoft.Storage/storageAccounts',
        `${RG}/Microsoft.Storage/storageAccounts/st`,
        {
          tags: {
            env: 'prod',
            token: 'QwErTy0123456789AbCdEfGhQwErTy0123',
            commit: 'a'.repeat(40),
          },
        },
        {
          tags: {
            env: 'prod',
            token: mark('QwErTy0123456789AbCdEfGhQwErTy0123'),
            commit: 'a'.repeat(40),
          },
        },
      ],
    ])('%s', (_name, type, id, input, expected) => {
      expect(protectResource({ id, type, ...input }, hasher)).toEqual({ id, type, ...expected });
    });
  });

  it('leaves configuration alone: app settings of other config names, grants, names', () => {
    const web = {
      id: `${RG}/Microsoft.Web/sites/app/config/web`,
      type: 'Microsoft.Web/sites/config',
      properties: { alwaysOn: true, ftpsState: 'Disabled' },
    };
    const vault = {
      id: `${RG}/Microsoft.KeyVault/vaults/kv`,
      type: 'Microsoft.KeyVault/vaults',
      properties: {
        accessPolicies: [
          { objectId: 'o', permissions: { keys: ['get'], secrets: ['get', 'list'] } },
        ],
      },
    };
    expect(protectResource(web, hasher)).toEqual(web);
    expect(protectResource(vault, hasher)).toEqual(vault);
  });

  it('is idempotent: markers stay as they are', () => {
    const { baseline } = seededSnapshots();
    const once = protectSnapshot(baseline, hasher);
    expect(protectSnapshot(once, hasher)).toEqual(once);
  });

  it('leaves no seeded secret in a protected snapshot, and does not change its input', () => {
    const { baseline, current } = seededSnapshots();
    const text = JSON.stringify([
      protectSnapshot(baseline, hasher),
      protectSnapshot(current, hasher),
    ]);
    expect(secretNeedles().filter((needle) => text.includes(needle))).toEqual([]);
    expect(JSON.stringify(baseline)).toContain(SEEDED_SECRETS.apiKeyOld);
  });

  it('gives equal secrets equal markers and rotated secrets different ones', () => {
    expect(mark('a')).toBe(mark('a'));
    expect(mark('a')).not.toBe(mark('b'));
    expect(isSecretMarker(mark('a'))).toBe(true);
    expect(createSecretHasher('other-key').mark('a')).not.toBe(mark('a'));
  });
});
