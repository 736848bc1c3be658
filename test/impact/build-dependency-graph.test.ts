import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDependencyGraph } from '../../core/impact/build-dependency-graph.js';
import type { DependencyGraph } from '../../core/impact/dependency-graph.js';
import type { ArmResource } from '../../core/model/resource.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';

const body = (name: string): ArmResource =>
  JSON.parse(readFileSync(fixture(`arm/${name}.json`), 'utf8')).responses['200'].body;
const graphOf = (...resources: ArmResource[]) => buildDependencyGraph({ resources });
/** Edges as `from-name → to-name @ path` lines, sorted, for exact comparison. */
const edgesOf = (graph: DependencyGraph) =>
  graph.edges
    .map((e) => {
      const name = (key: string) => graph.nodes.get(key)?.name ?? key;
      return `${name(e.from)} → ${name(e.to)} @ ${e.path}${e.back ? ' (back)' : ''}`;
    })
    .sort();

describeWithFixtures('buildDependencyGraph on real ARM examples', () => {
  it('draws a VM to its availability set, placement group, disks, NIC, galleries and scale set, not to its own extension', () => {
    const graph = graphOf(body('Microsoft.Compute.virtualMachines.VirtualMachine_Get'));

    expect(edgesOf(graph)).toEqual([
      'myVM → my-AvailabilitySet @ properties.availabilitySet.id',
      'myVM → my-ppg01 @ properties.proximityPlacementGroup.id',
      'myVM → myDataDisk0 @ properties.storageProfile.dataDisks[].managedDisk.id',
      'myVM → myDataDisk1 @ properties.storageProfile.dataDisks[].managedDisk.id',
      'myVM → myGallery1 @ properties.applicationProfile.galleryApplications[].packageReferenceId',
      'myVM → myGallery2 @ properties.applicationProfile.galleryApplications[].packageReferenceId',
      'myVM → myOsDisk @ properties.storageProfile.osDisk.managedDisk.id',
      'myVM → {MyVmss} @ managedBy',
      'myVM → {myNIC} @ properties.networkProfile.networkInterfaces[].id',
    ]);
    expect(graph.nodes.get(graph.edges[0]?.to as string)?.inSnapshot).toBe(false);
  });

  it('gives an NSG no edges for its own rules and default rules', () => {
    const graph = graphOf(body('Microsoft.Network.networkSecurityGroups.NetworkSecurityGroupGet'));

    expect(graph.edges).toEqual([]);
  });

  it('makes a virtual network subnet a node of its own, holding what its ipConfigurations name', () => {
    const graph = graphOf(body('Microsoft.Network.virtualNetworks.VirtualNetworkGet'));

    expect(edgesOf(graph)).toEqual([
      'lb → test-vnet/subnet1 @ properties.ipConfigurations[].id (back)',
      'test-vnet/subnet1 → test-vnet @ properties.subnets[] (back)',
    ]);
    expect(
      graph.nodes.get(
        '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/test-vnet/subnets/subnet1',
      )?.type,
    ).toBe('Microsoft.Network/virtualNetworks/subnets');
  });

  it("turns a public IP's ipConfiguration back-reference into the NIC fronted by it", () => {
    const graph = graphOf(body('Microsoft.Network.publicIPAddresses.PublicIpAddressGet'));

    expect(edgesOf(graph)).toEqual([
      'testDNS-ip → test-plan @ properties.ddosSettings.ddosProtectionPlan.id',
      'testDNS649 → testDNS-ip @ properties.ipConfiguration.id (back)',
    ]);
  });

  it("links a Key Vault's access policy to the resource whose managed identity it names", () => {
    const vault = body('Microsoft.KeyVault.vaults.getVault');
    const app: ArmResource = {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-resource-group/providers/Microsoft.Web/sites/app-orders',
      name: 'app-orders',
      type: 'Microsoft.Web/sites',
      identity: { type: 'SystemAssigned', principalId: '00000000-0000-0000-0000-000000000000' },
    };

    expect(edgesOf(graphOf(vault, app))).toEqual([
      'app-orders → sample-vault @ properties.accessPolicies[].objectId (back)',
    ]);
  });
});

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers';
const nsgId = `${SUB}/Microsoft.Network/networkSecurityGroups/nsg-web`;
const vnetId = `${SUB}/Microsoft.Network/virtualNetworks/vnet`;
const nicId = `${SUB}/Microsoft.Network/networkInterfaces/nic-web-01`;
const pipId = `${SUB}/Microsoft.Network/publicIPAddresses/pip-web-01`;

describe('buildDependencyGraph', () => {
  it('keeps one edge per pair, named by the forward reference, when both sides list it', () => {
    const nsg: ArmResource = {
      id: nsgId,
      type: 'Microsoft.Network/networkSecurityGroups',
      properties: {
        subnets: [{ id: `${vnetId}/subnets/web` }],
        networkInterfaces: [{ id: nicId }],
      },
    };
    const vnet: ArmResource = {
      id: vnetId,
      type: 'Microsoft.Network/virtualNetworks',
      properties: {
        subnets: [
          {
            name: 'web',
            properties: {
              networkSecurityGroup: { id: nsgId },
              ipConfigurations: [{ id: `${nicId}/ipConfigurations/ipconfig1` }],
            },
          },
        ],
      },
    };
    const nic: ArmResource = {
      id: nicId,
      type: 'Microsoft.Network/networkInterfaces',
      properties: {
        networkSecurityGroup: { id: nsgId.toUpperCase() },
        ipConfigurations: [
          {
            id: `${nicId}/ipConfigurations/ipconfig1`,
            properties: { subnet: { id: `${vnetId}/subnets/web` }, publicIPAddress: { id: pipId } },
          },
        ],
      },
    };
    const pip: ArmResource = {
      id: pipId,
      type: 'Microsoft.Network/publicIPAddresses',
      properties: { ipConfiguration: { id: `${nicId}/ipConfigurations/ipconfig1` } },
    };

    const graph = graphOf(nsg, vnet, nic, pip);

    expect(edgesOf(graph)).toEqual([
      'nic-web-01 → nsg-web @ properties.networkSecurityGroup.id',
      'nic-web-01 → pip-web-01 @ properties.ipConfigurations[].properties.publicIPAddress.id',
      'nic-web-01 → vnet/web @ properties.ipConfigurations[].properties.subnet.id',
      'vnet/web → nsg-web @ properties.networkSecurityGroup.id',
      'vnet/web → vnet @ properties.subnets[] (back)',
    ]);
  });

  it.each([
    [
      '@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/db/)',
      'SecretUri host',
    ],
    ['@Microsoft.KeyVault(VaultName=KV-Orders;SecretName=db)', 'VaultName argument'],
    ['https://kv-orders.vault.azure.net/', 'a vault URI'],
  ])('links an app to the Key Vault its settings reference (%s: %s)', (value) => {
    const vault: ArmResource = {
      id: `${SUB}/Microsoft.KeyVault/vaults/kv-orders`,
      name: 'kv-orders',
      type: 'Microsoft.KeyVault/vaults',
      properties: { vaultUri: 'https://kv-orders.vault.azure.net/' },
    };
    const app: ArmResource = {
      id: `${SUB}/Microsoft.Web/sites/app-orders`,
      name: 'app-orders',
      type: 'Microsoft.Web/sites',
      properties: { siteConfig: { appSettings: [{ name: 'DB', value }] } },
    };

    expect(edgesOf(graphOf(vault, app))).toEqual([
      'app-orders → kv-orders @ properties.siteConfig.appSettings[].value',
    ]);
  });

  it("gives an app's config child resource references to the app itself", () => {
    const app: ArmResource = {
      id: `${SUB}/Microsoft.Web/sites/app-orders`,
      type: 'Microsoft.Web/sites',
    };
    const config: ArmResource = {
      id: `${SUB}/Microsoft.Web/sites/app-orders/config/web`,
      type: 'Microsoft.Web/sites/config',
      properties: {
        vnetName: 'x',
        ipSecurityRestrictions: [{ vnetSubnetResourceId: `${vnetId}/subnets/web` }],
      },
    };

    expect(edgesOf(graphOf(app, config))).toEqual([
      'app-orders → vnet/web @ properties.ipSecurityRestrictions[].vnetSubnetResourceId',
    ]);
  });

  it('links a resource to the user-assigned identities it carries', () => {
    const identity: ArmResource = {
      id: `${SUB}/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders`,
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    };
    const vm: ArmResource = {
      id: `${SUB}/Microsoft.Compute/virtualMachines/vm-orders`,
      type: 'Microsoft.Compute/virtualMachines',
      identity: { type: 'UserAssigned', userAssignedIdentities: { [identity.id]: {} } },
    };

    expect(edgesOf(graphOf(identity, vm))).toEqual([
      'vm-orders → id-orders @ identity.userAssignedIdentities',
    ]);
  });
});
