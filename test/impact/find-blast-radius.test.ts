import { describe, expect, it } from 'vitest';
import { DEFAULT_IMPACT_CONFIG } from '../../core/config/sections/impact-config.js';
import { baselineResources } from '../../core/demo/demo-estate.js';
import { buildDependencyGraph } from '../../core/impact/build-dependency-graph.js';
import { findBlastRadius } from '../../core/impact/find-blast-radius.js';
import type { ArmResource } from '../../core/model/resource.js';

const options = { maxHops: 3, production: DEFAULT_IMPACT_CONFIG.production };
const idOf = (resources: ArmResource[], name: string) =>
  resources.find((r) => r.name === name)?.id as string;

describe('findBlastRadius', () => {
  const estate = baselineResources();
  const graph = buildDependencyGraph({ resources: estate });

  it('walks from the demo NSG through its subnet and NICs to the VMs it guards', () => {
    const impact = findBlastRadius(graph, idOf(estate, 'nsg-web-prod'), options);

    expect(impact?.radius.map((e) => [e.name, e.hops, e.via])).toEqual([
      ['vnet-prod/snet-web', 1, 'properties.networkSecurityGroup.id'],
      ['nic-vm-api-01', 2, 'properties.ipConfigurations[].properties.subnet.id'],
      ['nic-vm-api-02', 2, 'properties.ipConfigurations[].properties.subnet.id'],
      ['vm-api-01', 3, 'properties.networkProfile.networkInterfaces[].id'],
      ['vm-api-02', 3, 'properties.networkProfile.networkInterfaces[].id'],
    ]);
    expect(impact?.internetFacing).toBe(1);
    expect(impact?.production).toBe(2);
    expect(impact?.radius.find((e) => e.name === 'vm-api-01')).toMatchObject({
      internetFacing: true,
      production: true,
    });
  });

  it('stops at maxHops', () => {
    const impact = findBlastRadius(graph, idOf(estate, 'nsg-web-prod'), { ...options, maxHops: 2 });

    expect(impact?.radius.map((e) => e.name)).toEqual([
      'vnet-prod/snet-web',
      'nic-vm-api-01',
      'nic-vm-api-02',
    ]);
  });

  it('says what a public IP fronts: the NIC and the VM behind it', () => {
    const impact = findBlastRadius(graph, idOf(estate, 'pip-web-prod'), options);

    expect(impact?.radius.map((e) => e.name)).toEqual(['nic-vm-api-01', 'vm-api-01']);
    expect(impact?.selfInternetFacing).toBe(true);
  });

  it('finds nothing depending on a resource nothing refers to', () => {
    const impact = findBlastRadius(graph, idOf(estate, 'stprodlogs01'), options);

    expect(impact).toEqual({ radius: [], internetFacing: 0, production: 0 });
  });

  it('counts production by the configured tag keys and values, case-insensitively', () => {
    const impact = findBlastRadius(graph, idOf(estate, 'nsg-web-prod'), {
      ...options,
      production: { tagKeys: ['OWNER'], tagValues: ['Platform-Team'] },
    });

    expect(impact?.production).toBe(2);
  });

  it('serves the identities a Key Vault grants and the apps that reference its secrets', () => {
    const sub = '/subscriptions/s/resourceGroups/rg/providers';
    const resources: ArmResource[] = [
      {
        id: `${sub}/Microsoft.KeyVault/vaults/kv-app`,
        name: 'kv-app',
        type: 'Microsoft.KeyVault/vaults',
        properties: { accessPolicies: [{ objectId: 'AAAA-1' }] },
      },
      {
        id: `${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
        name: 'id-app',
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        properties: { principalId: 'aaaa-1' },
      },
      {
        id: `${sub}/Microsoft.Compute/virtualMachines/vm-worker`,
        name: 'vm-worker',
        type: 'Microsoft.Compute/virtualMachines',
        identity: {
          type: 'UserAssigned',
          userAssignedIdentities: {
            [`${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`]: {},
          },
        },
      },
      {
        id: `${sub}/Microsoft.Web/sites/app-front`,
        name: 'app-front',
        type: 'Microsoft.Web/sites',
        tags: { Environment: 'Production' },
        properties: {
          siteConfig: {
            appSettings: [
              { name: 'KEY', value: '@Microsoft.KeyVault(VaultName=kv-app;SecretName=k)' },
            ],
          },
        },
      },
    ];

    const impact = findBlastRadius(
      buildDependencyGraph({ resources }),
      `${sub}/Microsoft.KeyVault/vaults/kv-app`,
      options,
    );

    expect(impact?.radius.map((e) => [e.name, e.hops])).toEqual([
      ['app-front', 1],
      ['id-app', 1],
      ['vm-worker', 2],
    ]);
    expect([impact?.internetFacing, impact?.production]).toEqual([1, 1]);
  });
});
