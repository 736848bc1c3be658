import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Deterministic PRNG (mulberry32) so every run benchmarks the same estate. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Web/sites',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.KeyVault/vaults',
];

interface Pair {
  baseline: Record<string, unknown>;
  current: Record<string, unknown>;
  realChanges: number;
}

/** One resource pair: 2–8 KB each, nested properties, named arrays, tags; noise on every pair. */
export function makePair(i: number, rand: () => number, drifted: boolean): Pair {
  const type = TYPES[i % TYPES.length] as string;
  const name = `res-${i.toString(36)}`;
  const id = `/subscriptions/00000000-0000-0000-0000-${String(i % 7).padStart(12, '0')}/resourceGroups/rg-${i % 40}/providers/${type}/${name}`;
  const ruleCount = 1 + Math.floor(rand() * 18);
  const rules = Array.from({ length: ruleCount }, (_, r) => ({
    name: `rule-${r}`,
    id: `${id}/securityRules/rule-${r}`,
    etag: `W/"${(i * 31 + r).toString(16)}"`,
    properties: {
      provisioningState: 'Succeeded',
      protocol: r % 2 ? 'Tcp' : '*',
      sourcePortRange: '*',
      destinationPortRange: String(1000 + r),
      sourceAddressPrefix: `10.${r}.0.0/16`,
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority: 100 + r,
      direction: 'Inbound',
      description: `rule ${r} for ${name}`,
    },
  }));
  const baseline = {
    id,
    name,
    type,
    location: 'westeurope',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    tags: {
      env: 'prod',
      owner: `team-${i % 9}`,
      costCenter: String(4000 + (i % 50)),
      app: `app-${i % 120}`,
    },
    etag: `W/"${i.toString(16)}-a"`,
    identity: { type: 'SystemAssigned', principalId: `p-${i}`, tenantId: 't-0' },
    systemData: {
      createdBy: 'deploy@contoso.com',
      createdAt: '2026-01-01T00:00:00Z',
      lastModifiedBy: 'deploy@contoso.com',
      lastModifiedAt: '2026-11-01T00:00:00Z',
    },
    properties: {
      provisioningState: 'Succeeded',
      creationTime: '2026-01-01T00:00:00.0000000Z',
      supportsHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: ['1.2.3.4', '5.6.7.8'],
        virtualNetworkRules: [],
      },
      encryption: {
        keySource: 'Microsoft.Storage',
        services: {
          blob: { enabled: true, keyType: 'Account', lastEnabledTime: '2026-01-01T00:00:00Z' },
          file: { enabled: true, keyType: 'Account', lastEnabledTime: '2026-01-01T00:00:00Z' },
        },
      },
      securityRules: rules,
      // Unkeyed object arrays (matched by identity or content) and an ordered list.
      accessPolicies: Array.from({ length: 1 + (i % 4) }, (_, p) => ({
        tenantId: 't-0',
        objectId: `obj-${(i + p) % 500}`,
        permissions: { keys: ['get', 'list'], secrets: ['get'], certificates: [] as string[] },
      })),
      virtualApplications: [
        { virtualPath: '/', physicalPath: 'site\\wwwroot', preloadEnabled: false },
        { virtualPath: '/api', physicalPath: 'site\\api', preloadEnabled: i % 2 === 0 },
      ],
      defaultDocuments: ['index.html', 'default.htm', 'hostingstart.html'],
      addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] },
    },
  };
  const current = structuredClone(baseline) as typeof baseline;
  // Noise Azure adds on its own: etags, provisioning states, timestamps, systemData, array order.
  current.etag = `W/"${i.toString(16)}-b"`;
  current.properties.provisioningState = i % 3 === 0 ? 'Updating' : 'Succeeded';
  current.systemData.lastModifiedAt = '2026-11-21T08:00:00Z';
  current.properties.encryption.services.blob.lastEnabledTime = '2026-11-20T00:00:00Z';
  for (const rule of current.properties.securityRules)
    rule.etag = `W/"${rule.etag.slice(3, -1)}-b"`;
  if (i % 2 === 0) current.properties.securityRules.reverse();
  if (i % 3 === 0) current.properties.accessPolicies.reverse();
  if (i % 3 === 1) current.properties.virtualApplications.reverse();
  current.id = i % 5 === 0 ? id.replace('/resourceGroups/', '/resourcegroups/') : id;
  let realChanges = 0;
  if (drifted) {
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
      const which = (i + k) % 6;
      if (which === 0) current.tags.env = 'Prod';
      else if (which === 1) current.sku.name = 'Premium_LRS';
      else if (which === 2) current.properties.allowBlobPublicAccess = true;
      else if (which === 3) current.properties.accessPolicies[0]?.permissions.secrets.push('set');
      else if (which === 4) current.properties.defaultDocuments.reverse();
      else
        (
          current.properties.securityRules[0] as (typeof rules)[number]
        ).properties.sourceAddressPrefix = '*';
    }
    realChanges = n;
  }
  return { baseline, current, realChanges };
}

/** Writes `count` pairs as two JSON array files; returns how many resources drifted. */
export async function writeEstate(options: {
  count: number;
  driftRatio: number;
  baselineFile: string;
  currentFile: string;
  seed?: number;
}): Promise<{ drifted: number; bytes: number }> {
  const rand = prng(options.seed ?? 42);
  const b = createWriteStream(options.baselineFile);
  const c = createWriteStream(options.currentFile);
  let drifted = 0;
  let bytes = 0;
  b.write('[');
  c.write('[');
  for (let i = 0; i < options.count; i++) {
    const isDrifted = rand() < options.driftRatio;
    const pair = makePair(i, rand, isDrifted);
    if (isDrifted) drifted += 1;
    const sep = i === 0 ? '' : ',\n';
    const bText = sep + JSON.stringify(pair.baseline);
    bytes += bText.length;
    if (!b.write(bText)) await once(b, 'drain');
    if (!c.write(sep + JSON.stringify(pair.current))) await once(c, 'drain');
  }
  b.end(']\n');
  c.end(']\n');
  await Promise.all([once(b, 'finish'), once(c, 'finish')]);
  return { drifted, bytes };
}
