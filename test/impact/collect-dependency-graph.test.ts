import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { buildEngineRules, type EngineRules } from '../../core/engine/engine-rules.js';
import {
  buildDependencyGraph,
  collectDependencyGraph,
} from '../../core/impact/build-dependency-graph.js';
import type { DependencyGraph } from '../../core/impact/dependency-graph.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';

const snapshot = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
/** Every edge as `from → to @ path`, in the graph's own order (it decides the radius order). */
const edgesOf = (graph: DependencyGraph) =>
  graph.edges.map((e) => `${e.from} → ${e.to} @ ${e.path}${e.back ? ' (back)' : ''}`);
/** Who refers to each node, in order: what a blast radius lists. */
const incomingOf = (graph: DependencyGraph) =>
  [...graph.nodes.keys()].sort().map((k) => `${k} ← ${graph.incoming(k).map((e) => e.from)}`);

/** The graph collected during a comparison of `before` with `after`. */
function collected(before: ArmResource[], after: ArmResource[], rules?: EngineRules) {
  const current = snapshot(after);
  const collector = collectDependencyGraph(current);
  compareSnapshots(snapshot(before), current, {
    currentValues: collector.sink,
    ...(rules ? { rules } : {}),
  });
  return collector.graph();
}

function expectSameGraph(before: ArmResource[], after: ArmResource[], rules?: EngineRules) {
  const built = buildDependencyGraph({ resources: after });
  const graph = collected(before, after, rules);
  expect(edgesOf(graph).sort()).toEqual(edgesOf(built).sort());
  expect(incomingOf(graph)).toEqual(incomingOf(built));
  expect([...graph.nodes.keys()].sort()).toEqual([...built.nodes.keys()].sort());
  return built;
}

const body = (name: string): ArmResource =>
  JSON.parse(readFileSync(fixture(`arm/${name}.json`), 'utf8')).responses['200'].body;

describeWithFixtures('collectDependencyGraph on real ARM examples', () => {
  const names = [
    'Microsoft.Compute.virtualMachines.VirtualMachine_Get',
    'Microsoft.ContainerService.managedClusters.ManagedClustersGet',
    'Microsoft.KeyVault.vaults.getVault',
    'Microsoft.Network.networkSecurityGroups.NetworkSecurityGroupGet',
    'Microsoft.Network.publicIPAddresses.PublicIpAddressGet',
    'Microsoft.Network.virtualNetworks.VirtualNetworkGet',
    'Microsoft.Sql.servers.ServerGet',
    'Microsoft.Storage.storageAccounts.StorageAccountGetProperties',
    'Microsoft.Web.sites.GetWebApp',
    'Microsoft.Web.sites.config.web.GetSiteConfig',
  ];

  it('draws the same graph as a walk of its own, unchanged or with every array reversed', () => {
    const resources = names.map(body);
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed).reverse()
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reversed(v)]))
          : value;

    const built = expectSameGraph(resources, resources);
    expectSameGraph(resources.map(reversed) as ArmResource[], resources);
    expect(built.edges.length).toBe(21);
  });
});

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers';
const nsgId = `${SUB}/Microsoft.Network/networkSecurityGroups/nsg-web`;
const vnetId = `${SUB}/Microsoft.Network/virtualNetworks/vnet`;
const nicId = `${SUB}/Microsoft.Network/networkInterfaces/nic-web-01`;
const pipId = `${SUB}/Microsoft.Network/publicIPAddresses/pip-web-01`;
const vaultId = `${SUB}/Microsoft.KeyVault/vaults/kv-orders`;
const appId = `${SUB}/Microsoft.Web/sites/app-orders`;

const estate = (): ArmResource[] => [
  {
    id: nsgId,
    type: 'Microsoft.Network/networkSecurityGroups',
    properties: {
      securityRules: [{ name: 'ssh', id: `${nsgId}/securityRules/ssh`, properties: {} }],
      subnets: [{ id: `${vnetId}/subnets/web` }],
      networkInterfaces: [{ id: nicId }],
    },
  },
  {
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
  },
  {
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
  },
  {
    id: pipId,
    type: 'Microsoft.Network/publicIPAddresses',
    properties: { ipConfiguration: { id: `${nicId}/ipConfigurations/ipconfig1` } },
  },
  {
    id: vaultId,
    name: 'kv-orders',
    type: 'Microsoft.KeyVault/vaults',
    properties: {
      vaultUri: 'https://kv-orders.vault.azure.net/',
      accessPolicies: [{ tenantId: 't', objectId: 'p-app', permissions: { secrets: ['get'] } }],
    },
  },
  {
    id: appId,
    name: 'app-orders',
    type: 'Microsoft.Web/sites',
    identity: { type: 'SystemAssigned', principalId: 'p-app' },
    properties: {
      virtualNetworkSubnetId: `${vnetId}/subnets/web`,
      siteConfig: {
        appSettings: [
          { name: 'DB', value: '@Microsoft.KeyVault(VaultName=kv-orders;SecretName=db)' },
        ],
      },
    },
  },
  {
    id: `${appId}/config/web`,
    type: 'Microsoft.Web/sites/config',
    properties: { ipSecurityRestrictions: [{ vnetSubnetResourceId: `${vnetId}/subnets/web` }] },
  },
];

describe('collectDependencyGraph', () => {
  it('draws the same graph as a walk of its own when nothing changed', () => {
    const built = expectSameGraph(estate(), estate());
    expect(built.edges.length).toBe(7);
  });

  it.each<[string, (before: ArmResource[], after: ArmResource[]) => void]>([
    [
      'a reference changed',
      (_before, after) => {
        (
          (after[2] as ArmResource).properties as { networkSecurityGroup: { id: string } }
        ).networkSecurityGroup.id = `${SUB}/Microsoft.Network/networkSecurityGroups/nsg-other`;
      },
    ],
    [
      'an element holding references added to an array',
      (_before, after) => {
        ((after[0] as ArmResource).properties as { subnets: unknown[] }).subnets.push({
          id: `${vnetId}/subnets/data`,
        });
      },
    ],
    [
      'an array holding references reordered',
      (before) => {
        ((before[0] as ArmResource).properties as { subnets: unknown[] }).subnets.unshift({
          id: pipId,
        });
      },
    ],
    [
      'a property holding an object of references where there was a string',
      (before) => {
        ((before[2] as ArmResource).properties as Record<string, unknown>).ipConfigurations =
          'none';
      },
    ],
    [
      'a reference kept under a noise key',
      (before, after) => {
        (before[3] as Record<string, unknown>).etag = { link: { id: nicId } };
        (after[3] as Record<string, unknown>).etag = { link: { id: appId } };
      },
    ],
    [
      'a list of id strings',
      (before, after) => {
        ((before[5] as ArmResource).properties as Record<string, unknown>).dependsOn = [nsgId];
        ((after[5] as ArmResource).properties as Record<string, unknown>).dependsOn = [
          nsgId,
          pipId,
        ];
      },
    ],
    [
      'a resource added since the baseline',
      (before) => {
        before.splice(2, 1);
      },
    ],
    [
      'the app setting naming the vault changed',
      (_before, after) => {
        const settings = (
          (after[5] as ArmResource).properties as {
            siteConfig: { appSettings: { value: string }[] };
          }
        ).siteConfig.appSettings;
        (settings[0] as { value: string }).value = 'https://kv-orders.vault.azure.net/secrets/x';
      },
    ],
  ])('draws the same graph as a walk of its own with %s', (_name, change) => {
    const before = estate();
    const after = estate();
    change(before, after);
    expectSameGraph(before, after);
  });

  it('reads the resources ignore rules leave out of the comparison', () => {
    const rules = buildEngineRules({
      config: {
        ignore: [{ resourceType: 'Microsoft.Network/networkInterfaces' }],
        severity: { rules: [], overrides: {} },
      },
    });
    const built = expectSameGraph(estate(), estate(), rules);
    expect(edgesOf(built).filter((e) => e.startsWith(nicId.toLowerCase()))).toHaveLength(3);
  });

  it('reads every resource itself when no comparison reported them all', () => {
    const current = snapshot(estate());
    const collector = collectDependencyGraph(current);
    compareSnapshots(snapshot(estate()), snapshot(estate().slice(0, 3)), {
      currentValues: collector.sink,
    });

    expect(edgesOf(collector.graph()).sort()).toEqual(
      edgesOf(buildDependencyGraph(current)).sort(),
    );
  });
});
