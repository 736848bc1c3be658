import type { ArmResource, Snapshot } from '../../core/model/resource.js';

/**
 * A baseline and a current snapshot seeded with secret values of every kind driftwatch must
 * never store or print: in app settings, connection strings, ACI secure values, Key Vault secret
 * values, tags, URLs (SAS `sig=`, passwords), JWTs, PEM private keys and write-only properties.
 * Most are rotated between the two, so the secret drift is found and shown hidden.
 */

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-seed/providers';
const key88 = (c: string) => `${c.repeat(40)}Zz09+/${c.repeat(40)}==`;
const jwt = (sub: string) =>
  `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ${sub}In0.c2lnbmF0dXJlLXNlZWRlZC0${sub}`;
const pem = (body: string) =>
  `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${body}\nq1w2e3r4t5y6\n-----END RSA PRIVATE KEY-----`;

/** Every seeded secret value (or the secret part of a value), baseline and current. */
export const SEEDED_SECRETS = {
  apiKeyOld: 'PlainApiKeyOldValue7731',
  apiKeyNew: 'PlainApiKeyNewValue8842',
  storageKeyOld: key88('a'),
  storageKeyNew: key88('b'),
  sbKeyOld: 'SbSharedKeyOld0123456789abcdefXYZ=',
  sbKeyNew: 'SbSharedKeyNew0123456789abcdefXYZ=',
  sasSigOld: 'SasSignatureOldAbCdEf0123%3D',
  sasSigNew: 'SasSignatureNewAbCdEf4567%3D',
  sqlPasswordOld: 'Hunter2-SqlProd-Old!',
  sqlPasswordNew: 'Hunter2-SqlProd-New!',
  pwdOld: 'PwdShortFormOld#991',
  pwdNew: 'PwdShortFormNew#992',
  aciSecureOld: 'AciSecureValueOld-31337',
  aciSecureNew: 'AciSecureValueNew-31338',
  registryPassword: 'RegistryPasswordSeed-4455',
  kvSecretOld: 'KeyVaultSecretValueOld-5566',
  kvSecretNew: 'KeyVaultSecretValueNew-6677',
  tagKeyOld: key88('c'),
  tagKeyNew: key88('d'),
  tagTokenOld: 'TagTokenOldQwErTy0123456789AbCdEfGh',
  tagTokenNew: 'TagTokenNewQwErTy0123456789AbCdEfGh',
  jwtOld: jwt('OldSeedSubject'),
  jwtNew: jwt('NewSeedSubject'),
  pemOld: pem('SeededPrivateKeyBodyOld'),
  pemNew: pem('SeededPrivateKeyBodyNew'),
  urlPasswordOld: 'UrlPassOld-2718',
  urlPasswordNew: 'UrlPassNew-2719',
  adminPassword: 'AdminPasswordTemplate-1618',
  protectedSetting: 'ProtectedSettingSeed-1414',
  inlineSettingOld: 'InlineSettingSecretOld-7070',
  inlineSettingNew: 'InlineSettingSecretNew-8080',
  containerAppSecretOld: 'ContainerAppSecretOld-9090',
  containerAppSecretNew: 'ContainerAppSecretNew-9191',
  addedSecret: 'AddedResourceSecret-1212',
  removedSecret: 'RemovedResourceSecret-3434',
} as const;

/** The values to look for in every output: the distinctive parts that must never appear. */
export function secretNeedles(): string[] {
  return Object.values(SEEDED_SECRETS).map((v) =>
    v.startsWith('-----BEGIN') ? (v.split('\n')[1] as string) : v,
  );
}

function estate(side: 'Old' | 'New'): ArmResource[] {
  const s = SEEDED_SECRETS;
  const pick = <K extends string>(name: K) =>
    s[`${name}${side}` as keyof typeof SEEDED_SECRETS] as string;
  const resources: ArmResource[] = [
    {
      id: `${RG}/Microsoft.Web/sites/app-seed/config/appsettings`,
      name: 'appsettings',
      type: 'Microsoft.Web/sites/config',
      properties: {
        API_KEY: pick('apiKey'),
        STORAGE: `DefaultEndpointsProtocol=https;AccountName=stseed;AccountKey=${pick('storageKey')};EndpointSuffix=core.windows.net`,
        BUS: `Endpoint=sb://ns-seed.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${pick('sbKey')}`,
        EXPORT_URL: `https://stseed.blob.core.windows.net/exports?sv=2022-11-02&sr=c&sig=${pick('sasSig')}`,
        FEATURE_FLAG: side === 'Old' ? 'on' : 'off',
      },
    },
    {
      id: `${RG}/Microsoft.Web/sites/app-seed/config/connectionstrings`,
      name: 'connectionstrings',
      type: 'Microsoft.Web/sites/config',
      properties: {
        Db: {
          value: `Server=tcp:sql-seed.database.windows.net;Database=app;User ID=app;Password=${pick('sqlPassword')};`,
          type: 'SQLAzure',
        },
        Legacy: { value: `Data Source=db;Uid=app;Pwd=${pick('pwd')}`, type: 'SQLServer' },
      },
    },
    {
      id: `${RG}/Microsoft.Web/sites/app-seed`,
      name: 'app-seed',
      type: 'Microsoft.Web/sites',
      location: 'westeurope',
      properties: {
        siteConfig: {
          appSettings: [{ name: 'INLINE_SECRET', value: pick('inlineSetting') }],
        },
        publishingUrl: `https://deploy:${pick('urlPassword')}@app-seed.scm.azurewebsites.net`,
      },
    },
    {
      id: `${RG}/Microsoft.ContainerInstance/containerGroups/aci-seed`,
      name: 'aci-seed',
      type: 'Microsoft.ContainerInstance/containerGroups',
      location: 'westeurope',
      properties: {
        containers: [
          {
            name: 'worker',
            properties: {
              image: 'contoso.azurecr.io/worker:1',
              environmentVariables: [
                { name: 'MODE', value: 'batch' },
                { name: 'DB_PASS', secureValue: pick('aciSecure') },
              ],
            },
          },
        ],
        imageRegistryCredentials: [
          { server: 'contoso.azurecr.io', username: 'contoso', password: s.registryPassword },
        ],
      },
    },
    {
      id: `${RG}/Microsoft.KeyVault/vaults/kv-seed/secrets/db-password`,
      name: 'db-password',
      type: 'Microsoft.KeyVault/vaults/secrets',
      properties: { value: pick('kvSecret'), contentType: 'text/plain' },
    },
    {
      id: `${RG}/Microsoft.Storage/storageAccounts/stseed`,
      name: 'stseed',
      type: 'Microsoft.Storage/storageAccounts',
      location: 'westeurope',
      tags: { env: 'prod', backupKey: pick('tagKey'), deployToken: pick('tagToken') },
      properties: { minimumTlsVersion: 'TLS1_2' },
    },
    {
      id: `${RG}/Microsoft.Logic/workflows/wf-seed`,
      name: 'wf-seed',
      type: 'Microsoft.Logic/workflows',
      location: 'westeurope',
      properties: {
        callbackUrl: `https://prod-00.westeurope.logic.azure.com/workflows/1/triggers/manual?api-version=2016-10-01&token=${pick('jwt')}`,
        notes: `signing key:\n${pick('pem')}`,
      },
    },
    {
      id: `${RG}/Microsoft.Compute/virtualMachines/vm-seed`,
      name: 'vm-seed',
      type: 'Microsoft.Compute/virtualMachines',
      location: 'westeurope',
      properties: {
        osProfile: {
          adminUsername: 'azureuser',
          // A template baseline has the write-only password; a read never does.
          ...(side === 'Old' ? { adminPassword: s.adminPassword } : {}),
        },
      },
    },
    {
      id: `${RG}/Microsoft.Compute/virtualMachines/vm-seed/extensions/setup`,
      name: 'setup',
      type: 'Microsoft.Compute/virtualMachines/extensions',
      location: 'westeurope',
      properties: {
        publisher: 'Microsoft.Azure.Extensions',
        settings: { fileUris: ['https://stseed.blob.core.windows.net/s/setup.sh'] },
        ...(side === 'Old' ? { protectedSettings: { commandToExecute: s.protectedSetting } } : {}),
      },
    },
    {
      id: `${RG}/Microsoft.App/containerApps/ca-seed`,
      name: 'ca-seed',
      type: 'Microsoft.App/containerApps',
      location: 'westeurope',
      properties: {
        configuration: { secrets: [{ name: 'db', value: pick('containerAppSecret') }] },
      },
    },
  ];
  if (side === 'Old') {
    resources.push({
      id: `${RG}/Microsoft.Web/sites/old-seed/config/appsettings`,
      name: 'appsettings',
      type: 'Microsoft.Web/sites/config',
      properties: { TOKEN: s.removedSecret },
    });
  } else {
    resources.push({
      id: `${RG}/Microsoft.Web/sites/new-seed/config/appsettings`,
      name: 'appsettings',
      type: 'Microsoft.Web/sites/config',
      properties: { TOKEN: s.addedSecret },
    });
  }
  return resources;
}

/** The seeded pair, as snapshot documents. */
export function seededSnapshots(): { baseline: Snapshot; current: Snapshot } {
  const snapshot = (side: 'Old' | 'New', at: string): Snapshot => ({
    schemaVersion: 1,
    scope: 'seed',
    collectedAt: at,
    complete: true,
    resources: estate(side),
    errors: [],
  });
  return {
    baseline: snapshot('Old', '2026-11-20T09:00:00Z'),
    current: snapshot('New', '2026-11-27T09:00:00Z'),
  };
}
