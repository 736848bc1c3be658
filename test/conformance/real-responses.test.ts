import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { readSnapshotFile } from '../../core/snapshot/read-snapshot-file.js';
import { describeWithFixtures, FIXTURES_DIR, fixture } from '../support/requirements.js';

type Json = Record<string, unknown>;
const snap = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
/** Lists whose order is configuration (the engine's ordered catalogue entries). */
const ORDERED_KEYS = new Set(['defaultDocuments', 'dnsServers', 'command', 'args']);
const TIMESTAMP_KEYS = /^(last|created|creation|changed|modified)\w*(Time|At|TimeUtc)$/i;

/** What Azure does on its own between two reads: new etags, states, timestamps, casings, order. */
function addPlatformNoise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const mapped = value.map((v) => addPlatformNoise(v));
    // Azure keeps no stable order for arrays (access policies, network rules, permissions)
    // except the lists a provider reads in order.
    return ORDERED_KEYS.has(key) ? mapped : mapped.reverse();
  }
  if (typeof value !== 'object' || value === null) {
    if (key === 'etag') return 'W/"00000000-noise"';
    if (key === 'provisioningState') return 'Updating';
    if (TIMESTAMP_KEYS.test(key)) return '2026-11-21T09:14:00.0000000Z';
    if (key === 'id' && typeof value === 'string')
      return value.replace(/resourceGroups/i, 'resourcegroups').replace(/providers/i, 'Providers');
    if (key === 'type' && typeof value === 'string') return value.toLowerCase();
    if (key === 'location' && typeof value === 'string')
      return value.replace(/\s+/g, '').toUpperCase();
    return value;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = addPlatformNoise(v, k);
  out.systemData = { lastModifiedBy: 'policy@azure', lastModifiedAt: '2026-11-21T09:14:00Z' };
  return out;
}

/** Sets a value at a dot path; `[i]` indexes arrays. */
function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: Json = target;
  for (const part of parts.slice(0, -1)) node = node[part] as Json;
  node[parts[parts.length - 1] as string] = value;
}

const ARM_EXAMPLES = readdirSyncSafe('arm').filter(
  (f) => !f.startsWith('Microsoft.Resources.providers'),
);

/** One real change per example, with what the engine must say about it. */
const REAL_CHANGES: Record<
  string,
  {
    path: string;
    before?: unknown;
    after: unknown;
    expectPath: string;
    severity: string;
    rule: string;
  }
> = {
  'Microsoft.Compute.virtualMachines.VirtualMachine_Get.json': {
    path: 'properties.hardwareProfile.vmSize',
    after: 'Standard_D16s_v5',
    expectPath: 'properties.hardwareProfile.vmSize',
    severity: 'medium',
    rule: 'vm-size-changed',
  },
  'Microsoft.ContainerService.managedClusters.ManagedClustersGet.json': {
    path: 'properties.kubernetesVersion',
    after: '1.10.0',
    expectPath: 'properties.kubernetesVersion',
    severity: 'medium',
    rule: 'property-changed',
  },
  'Microsoft.KeyVault.vaults.getVault.json': {
    path: 'properties.publicNetworkAccess',
    before: 'Disabled',
    after: 'Enabled',
    expectPath: 'properties.publicNetworkAccess',
    severity: 'high',
    rule: 'public-network-access-enabled',
  },
  'Microsoft.Network.networkSecurityGroups.NetworkSecurityGroupGet.json': {
    path: 'properties.securityRules[0].properties.destinationPortRange',
    after: '22',
    expectPath: 'properties.securityRules[rule1].properties.destinationPortRange',
    severity: 'critical',
    rule: 'nsg-mgmt-port-open-to-any',
  },
  'Microsoft.Network.publicIPAddresses.PublicIpAddressGet.json': {
    path: 'properties.idleTimeoutInMinutes',
    after: 30,
    expectPath: 'properties.idleTimeoutInMinutes',
    severity: 'medium',
    rule: 'property-changed',
  },
  'Microsoft.Network.virtualNetworks.VirtualNetworkGet.json': {
    path: 'properties.subnets[0].properties.addressPrefix',
    after: '10.0.99.0/24',
    expectPath: 'properties.subnets[subnet1].properties.addressPrefix',
    severity: 'medium',
    rule: 'property-changed',
  },
  'Microsoft.Sql.servers.ServerGet.json': {
    path: 'properties.publicNetworkAccess',
    before: 'Disabled',
    after: 'Enabled',
    expectPath: 'properties.publicNetworkAccess',
    severity: 'high',
    rule: 'public-network-access-enabled',
  },
  'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json': {
    path: 'sku.name',
    after: 'Standard_LRS',
    expectPath: 'sku.name',
    severity: 'medium',
    rule: 'sku-changed',
  },
  'Microsoft.Web.sites.GetWebApp.json': {
    path: 'properties.httpsOnly',
    before: true,
    after: false,
    expectPath: 'properties.httpsOnly',
    severity: 'high',
    rule: 'https-only-off',
  },
  'Microsoft.Web.sites.config.web.GetSiteConfig.json': {
    path: 'properties.ftpsState',
    before: 'FtpsOnly',
    after: 'AllAllowed',
    expectPath: 'properties.ftpsState',
    severity: 'high',
    rule: 'ftp-allowed',
  },
};

/** Real changes inside arrays that have no name or id (or whose order counts). */
const ARRAY_CHANGES: {
  file: string;
  name: string;
  /** Applied to both reads (e.g. a second element, so the array has something to reorder). */
  prepare?: (resource: Json) => void;
  change: (resource: Json) => void;
  expectPath: string;
  rule: string;
}[] = [
  {
    file: 'Microsoft.KeyVault.vaults.getVault.json',
    name: 'a certificate grant added to one of two access policies',
    prepare(vault) {
      const policies = (vault.properties as Json).accessPolicies as Json[];
      policies.push({
        ...structuredClone(policies[0] as Json),
        objectId: '11111111-1111-1111-1111-111111111111',
      });
    },
    change(vault) {
      const first = ((vault.properties as Json).accessPolicies as Json[])[0] as Json;
      ((first.permissions as Json).certificates as string[]).push('backup');
    },
    expectPath:
      'properties.accessPolicies[objectId=00000000-0000-0000-0000-000000000000].permissions.certificates',
    rule: 'keyvault-access-widened',
  },
  {
    file: 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json',
    name: 'a resource access rule for a second workspace',
    change(account) {
      const acls = (account.properties as Json).networkAcls as Json;
      (acls.resourceAccessRules as Json[]).push({
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        resourceId:
          '/subscriptions/a7e99807-abbf-4642-bdec-2c809a96a8bc/resourceGroups/res9407/providers/Microsoft.Synapse/workspaces/otherworkspace',
      });
    },
    expectPath:
      'properties.networkAcls.resourceAccessRules[resourceId=otherworkspace,tenantId=72f988bf-86f1-41af-91ab-2d7cd011db47]',
    rule: 'property-changed',
  },
  {
    file: 'Microsoft.Web.sites.config.web.GetSiteConfig.json',
    name: 'default documents tried in another order',
    change(config) {
      const docs = (config.properties as Json).defaultDocuments as string[];
      docs.push(docs.shift() as string);
    },
    expectPath: 'properties.defaultDocuments',
    rule: 'property-changed',
  },
  {
    file: 'Microsoft.Web.sites.config.web.GetSiteConfig.json',
    name: 'a virtual application preloaded',
    change(config) {
      const apps = (config.properties as Json).virtualApplications as Json[];
      (apps[0] as Json).preloadEnabled = true;
    },
    expectPath: 'properties.virtualApplications[virtualPath=/].preloadEnabled',
    rule: 'property-changed',
  },
];

function readdirSyncSafe(sub: string): string[] {
  try {
    return readdirSync(`${FIXTURES_DIR}/${sub}`);
  } catch {
    return [];
  }
}

describeWithFixtures('conformance with real ARM and Resource Graph responses', () => {
  it('covers every ARM GET example in the shared fixtures', () => {
    expect(ARM_EXAMPLES.sort()).toEqual(Object.keys(REAL_CHANGES).sort());
  });

  it.each(ARM_EXAMPLES)('%s: platform noise alone is not drift', (file) => {
    const { snapshot, shape } = readSnapshotFile(fixture(`arm/${file}`));
    expect(shape).toBe('arm-example');
    const noisy = snapshot.resources.map((r) => addPlatformNoise(r) as ArmResource);
    const report = compareSnapshots(snapshot, snap(noisy));
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.total).toBeGreaterThan(0);
  });

  it.each(ARM_EXAMPLES)(
    '%s: a real change among the noise is found with its path and severity',
    (file) => {
      const { snapshot } = readSnapshotFile(fixture(`arm/${file}`));
      const change = REAL_CHANGES[file];
      if (!change) throw new Error(`no real change listed for ${file}`);
      const baseline = structuredClone(snapshot.resources[0]) as Json;
      if (change.before !== undefined) setPath(baseline, change.path, change.before);
      const current = structuredClone(baseline);
      setPath(current, change.path, change.after);
      const report = compareSnapshots(
        snap([baseline as ArmResource]),
        snap([addPlatformNoise(current) as ArmResource]),
      );
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]?.changes.map((c) => [c.path, c.after, c.severity, c.rule])).toEqual(
        [[change.expectPath, change.after, change.severity, change.rule]],
      );
    },
  );

  it.each(ARRAY_CHANGES)(
    '$file: $name is found inside the reordered array with a readable path',
    ({ file, prepare, change, expectPath, rule }) => {
      const { snapshot } = readSnapshotFile(fixture(`arm/${file}`));
      const baseline = structuredClone(snapshot.resources[0]) as Json;
      prepare?.(baseline);
      const current = structuredClone(baseline);
      change(current);
      const report = compareSnapshots(
        snap([baseline as ArmResource]),
        snap([addPlatformNoise(current) as ArmResource]),
      );
      expect(report.findings.flatMap((f) => f.changes.map((c) => [c.path, c.rule]))).toEqual([
        [expectPath, rule],
      ]);
    },
  );

  it.each(ARM_EXAMPLES)('%s: the Resource Graph row of the resource is no drift', (file) => {
    const { snapshot } = readSnapshotFile(fixture(`arm/${file}`));
    const arm = snapshot.resources[0] as ArmResource;
    const graphRow = {
      kind: '',
      managedBy: '',
      sku: null,
      plan: null,
      zones: null,
      identity: null,
      ...structuredClone(arm),
      type: arm.type?.toLowerCase(),
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      resourceGroup: arm.id.split('/')[4]?.toLowerCase() ?? '',
      subscriptionId: arm.id.split('/')[2] ?? '',
    } as ArmResource;
    expect(compareSnapshots(snap([graphRow]), snap([arm])).findings).toEqual([]);
  });

  it('finds exactly the one change in the Resource Graph before/after snapshots', () => {
    const raw = JSON.parse(
      readFileSync(
        fixture(
          'resourcegraph/Microsoft.ResourceGraph.resourceChangeDetails.ResourceChangeDetails.json',
        ),
        'utf8',
      ),
    );
    const [detail] = raw.responses['200'].body as Array<{
      beforeSnapshot: { content: ArmResource };
      afterSnapshot: { content: ArmResource };
    }>;
    if (!detail) throw new Error('fixture has no change detail');
    const report = compareSnapshots(
      snap([detail.beforeSnapshot.content]),
      snap([detail.afterSnapshot.content]),
    );
    expect(
      report.findings.map((f) => [
        f.resourceName,
        f.changes.map((c) => [c.path, c.before, c.after]),
      ]),
    ).toEqual([['mystorageaccount', [['properties.supportsHttpsTrafficOnly', false, true]]]]);
  });

  it('reads a Resource Graph query response as a snapshot, lower-cased types and all', () => {
    const { snapshot, shape } = readSnapshotFile(
      fixture('resourcegraph/Microsoft.ResourceGraph.resources.ResourcesBasicQuery.json'),
    );
    expect(shape).toBe('resource-graph');
    expect(snapshot.resources.map((r) => r.type)).toEqual([
      'microsoft.network/networkinterfaces',
      'microsoft.network/virtualnetworks',
      'microsoft.network/publicipaddresses',
    ]);
  });

  it('matches a Resource Graph row (lower-case type) with the ARM GET of the same resource', () => {
    const { snapshot } = readSnapshotFile(
      fixture('arm/Microsoft.ContainerService.managedClusters.ManagedClustersGet.json'),
    );
    const arm = snapshot.resources[0] as ArmResource;
    const graphRow = {
      ...structuredClone(arm),
      type: arm.type?.toLowerCase(),
      id: arm.id.toLowerCase(),
    };
    expect(compareSnapshots(snap([arm]), snap([graphRow])).findings).toEqual([]);
  });
});
