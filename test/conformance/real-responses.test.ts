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
const TIMESTAMP_KEYS = /^(last|created|creation|changed|modified)\w*(Time|At|TimeUtc)$/i;

/** What Azure does on its own between two reads: new etags, states, timestamps, casings, order. */
function addPlatformNoise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const mapped = value.map((v) => addPlatformNoise(v));
    const named = mapped.every(
      (v) => typeof v === 'object' && v !== null && typeof (v as Json).name === 'string',
    );
    return named ? mapped.reverse() : mapped;
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
