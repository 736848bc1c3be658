import type { ArmResource } from '../../core/model/resource.js';

export const SUB_A = '00000000-0000-4000-8000-00000000000a';
export const SUB_B = '00000000-0000-4000-8000-00000000000b';

/** A small estate: storage accounts and NSGs over two groups, a web app with its config/web. */
export function fakeEstate(sub = SUB_A, count = 6): ArmResource[] {
  const resources: ArmResource[] = [];
  for (let i = 0; i < count; i++) {
    const rg = i % 2 === 0 ? 'rg-web' : 'rg-data';
    resources.push({
      id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/st${i}`,
      name: `st${i}`,
      type: 'Microsoft.Storage/storageAccounts',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS', tier: 'Standard' },
      tags: { env: i % 3 === 0 ? 'prod' : 'dev' },
      properties: {
        allowBlobPublicAccess: false,
        minimumTlsVersion: 'TLS1_2',
        creationTime: '2026-01-02T03:04:05.1234567Z',
      },
    });
  }
  resources.push(
    {
      id: `/subscriptions/${sub}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app1`,
      name: 'app1',
      type: 'Microsoft.Web/sites',
      location: 'westeurope',
      kind: 'app',
      properties: { httpsOnly: true, state: 'Running' },
    },
    {
      id: `/subscriptions/${sub}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app1/config/web`,
      name: 'web',
      type: 'Microsoft.Web/sites/config',
      location: 'westeurope',
      properties: { minTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false },
    },
  );
  return resources;
}
