import type { ArmResource } from '../../core/model/resource.js';
import { SUB } from './task-agent-env.js';

const RG = `/subscriptions/${SUB}/resourceGroups`;
export const NSG_ID = `${RG}/rg-web/providers/Microsoft.Network/networkSecurityGroups/nsg-web-prod`;
export const STORAGE_ID = `${RG}/rg-data/providers/Microsoft.Storage/storageAccounts/stprodlogs01`;
export const SITE_ID = `${RG}/rg-web/providers/Microsoft.Web/sites/app-web`;

/** A small production estate: an NSG allowing SSH from one address, a storage account, a web app. */
export function taskEstate(): ArmResource[] {
  return [
    {
      id: NSG_ID,
      name: 'nsg-web-prod',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westeurope',
      properties: {
        securityRules: [
          {
            name: 'allow-ssh',
            properties: {
              access: 'Allow',
              direction: 'Inbound',
              protocol: 'Tcp',
              priority: 100,
              sourceAddressPrefix: '10.10.0.4/32',
              destinationAddressPrefix: '*',
              destinationPortRange: '22',
            },
          },
        ],
      },
    },
    {
      id: STORAGE_ID,
      name: 'stprodlogs01',
      type: 'Microsoft.Storage/storageAccounts',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS', tier: 'Standard' },
      tags: { owner: 'web-team' },
      properties: { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' },
    },
    {
      id: SITE_ID,
      name: 'app-web',
      type: 'Microsoft.Web/sites',
      location: 'westeurope',
      kind: 'app',
      properties: { httpsOnly: true, state: 'Running' },
    },
    {
      id: `${SITE_ID}/config/web`,
      name: 'web',
      type: 'Microsoft.Web/sites/config',
      location: 'westeurope',
      properties: { minTlsVersion: '1.2', ftpsState: 'Disabled' },
    },
  ];
}

/** The NSG after someone opened SSH to the world in the Portal. */
export function sshOpenToAny(): ArmResource {
  const [nsg] = taskEstate();
  const rule = (
    nsg!.properties!.securityRules as Array<{ properties: Record<string, unknown> }>
  )[0]!;
  rule.properties.sourceAddressPrefix = '*';
  return nsg!;
}

/** The storage account with its owner tag changed (low severity). */
export function ownerTagChanged(): ArmResource {
  const storage = taskEstate()[1]!;
  return { ...storage, tags: { owner: 'platform-team' } };
}
