import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { prng } from '../diff/generate-estate.js';

type Json = Record<string, unknown>;

/**
 * An estate wired the way ARM wires one, for the impact bench: cells of a virtual network (four
 * subnets, each naming its NSG and route table), an NSG listing its subnets back, NICs in the
 * subnets (a third with a public IP), VMs on the NICs with OS disks, plus app plans, apps and a
 * Key Vault with access policies. 2–8 KB a resource, etag/timestamp noise on every one, real
 * drift (VM resizes, NSG rules opened, tags) on `driftRatio` of them.
 */
export async function writeLinkedEstate(options: {
  count: number;
  driftRatio: number;
  baselineFile: string;
  currentFile: string;
}): Promise<{ drifted: number }> {
  const rand = prng(15);
  const base = createWriteStream(options.baselineFile);
  const cur = createWriteStream(options.currentFile);
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write(base, '{"schemaVersion":1,"complete":true,"errors":[],"resources":[\n');
  await write(cur, '{"schemaVersion":1,"complete":true,"errors":[],"resources":[\n');
  let drifted = 0;
  let written = 0;
  for (let cell = 0; written < options.count; cell++) {
    for (const r of cellResources(cell, rand)) {
      if (written >= options.count) break;
      const now = structuredClone(r);
      now.etag = `W/"${cell.toString(16)}b"`;
      (now.properties as Json).lastModifiedTimeUtc = '2026-11-21T06:00:00Z';
      if (rand() < options.driftRatio) {
        drift(now);
        drifted += 1;
      }
      const sep = written === 0 ? '' : ',\n';
      await write(base, `${sep}${JSON.stringify(r)}`);
      await write(cur, `${sep}${JSON.stringify(now)}`);
      written += 1;
    }
  }
  await write(base, '\n]}\n');
  await write(cur, '\n]}\n');
  base.end();
  cur.end();
  await Promise.all([once(base, 'finish'), once(cur, 'finish')]);
  return { drifted };
}

function drift(r: Json): void {
  const props = r.properties as Json;
  if (r.type === 'Microsoft.Compute/virtualMachines')
    (props.hardwareProfile as Json).vmSize = 'Standard_D16s_v5';
  else if (r.type === 'Microsoft.Network/networkSecurityGroups') {
    const rules = props.securityRules as Array<{ properties: Json }>;
    if (rules[0]) rules[0].properties.sourceAddressPrefix = '*';
  } else r.tags = { ...(r.tags as Json), costCenter: '4200' };
}

function cellResources(cell: number, rand: () => number): Json[] {
  const sub = `/subscriptions/00000000-0000-0000-0000-${String(cell % 7).padStart(12, '0')}`;
  const rg = `${sub}/resourceGroups/rg-cell-${cell}`;
  const id = (type: string, name: string) => `${rg}/providers/${type}/${name}`;
  const res = (type: string, name: string, properties: Json, extra: Json = {}): Json => ({
    id: id(type, name),
    name,
    type,
    location: 'westeurope',
    tags: { env: cell % 3 === 0 ? 'prod' : 'dev', owner: `team-${cell % 11}`, costCenter: '4100' },
    etag: `W/"${cell.toString(16)}a"`,
    ...extra,
    properties: {
      provisioningState: 'Succeeded',
      lastModifiedTimeUtc: '2026-11-20T18:00:00Z',
      description: 'x'.repeat(600 + Math.floor(rand() * 3000)),
      ...properties,
    },
  });
  const nsg = id('Microsoft.Network/networkSecurityGroups', `nsg-${cell}`);
  const rt = id('Microsoft.Network/routeTables', `rt-${cell}`);
  const vnet = id('Microsoft.Network/virtualNetworks', `vnet-${cell}`);
  const subnet = (s: number) => `${vnet}/subnets/snet-${s}`;
  const out: Json[] = [];
  out.push(
    res('Microsoft.Network/virtualNetworks', `vnet-${cell}`, {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [0, 1, 2, 3].map((s) => ({
        name: `snet-${s}`,
        id: subnet(s),
        properties: {
          addressPrefix: `10.0.${s}.0/24`,
          networkSecurityGroup: { id: nsg },
          routeTable: { id: rt },
          ipConfigurations: [0, 1].map((n) => ({
            id: `${id('Microsoft.Network/networkInterfaces', `nic-${cell}-${s * 2 + n}`)}/ipConfigurations/ipconfig1`,
          })),
        },
      })),
    }),
    res('Microsoft.Network/networkSecurityGroups', `nsg-${cell}`, {
      securityRules: Array.from({ length: 6 }, (_, r) => ({
        name: `rule-${r}`,
        id: `${nsg}/securityRules/rule-${r}`,
        properties: {
          protocol: 'Tcp',
          destinationPortRange: String(1000 + r),
          sourceAddressPrefix: `10.${r}.0.0/16`,
          access: 'Allow',
          priority: 100 + r,
          direction: 'Inbound',
        },
      })),
      subnets: [0, 1, 2, 3].map((s) => ({ id: subnet(s) })),
    }),
    res('Microsoft.Network/routeTables', `rt-${cell}`, {
      routes: [
        {
          name: 'default',
          properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance' },
        },
      ],
      subnets: [0, 1, 2, 3].map((s) => ({ id: subnet(s) })),
    }),
  );
  for (let n = 0; n < 8; n++) {
    const nic = id('Microsoft.Network/networkInterfaces', `nic-${cell}-${n}`);
    const pip = id('Microsoft.Network/publicIPAddresses', `pip-${cell}-${n}`);
    const vm = id('Microsoft.Compute/virtualMachines', `vm-${cell}-${n}`);
    out.push(
      res('Microsoft.Network/networkInterfaces', `nic-${cell}-${n}`, {
        virtualMachine: { id: vm },
        ipConfigurations: [
          {
            name: 'ipconfig1',
            id: `${nic}/ipConfigurations/ipconfig1`,
            properties: {
              subnet: { id: subnet(n >> 1) },
              ...(n % 3 === 0 ? { publicIPAddress: { id: pip } } : {}),
            },
          },
        ],
      }),
      res('Microsoft.Compute/virtualMachines', `vm-${cell}-${n}`, {
        hardwareProfile: { vmSize: 'Standard_D4s_v5' },
        storageProfile: {
          osDisk: {
            osType: 'Linux',
            managedDisk: { id: id('Microsoft.Compute/disks', `disk-${cell}-${n}`) },
          },
        },
        networkProfile: { networkInterfaces: [{ id: nic }] },
      }),
      res(
        'Microsoft.Compute/disks',
        `disk-${cell}-${n}`,
        { diskSizeGB: 64 },
        { sku: { name: 'Premium_LRS' }, managedBy: vm },
      ),
    );
    if (n % 3 === 0)
      out.push(
        res('Microsoft.Network/publicIPAddresses', `pip-${cell}-${n}`, {
          publicIPAllocationMethod: 'Static',
          ipConfiguration: { id: `${nic}/ipConfigurations/ipconfig1` },
        }),
      );
  }
  const plan = id('Microsoft.Web/serverfarms', `plan-${cell}`);
  out.push(
    res('Microsoft.Web/serverfarms', `plan-${cell}`, {}, { sku: { name: 'P1v3', capacity: 2 } }),
    res(
      'Microsoft.Web/sites',
      `app-${cell}`,
      {
        serverFarmId: plan,
        virtualNetworkSubnetId: subnet(3),
        siteConfig: {
          appSettings: [
            { name: 'DB', value: `@Microsoft.KeyVault(VaultName=kv-${cell};SecretName=db)` },
          ],
        },
      },
      { identity: { type: 'SystemAssigned', principalId: `p-${cell}` } },
    ),
    res('Microsoft.KeyVault/vaults', `kv-${cell}`, {
      vaultUri: `https://kv-${cell}.vault.azure.net/`,
      accessPolicies: [{ objectId: `p-${cell}`, permissions: { secrets: ['get'] } }],
    }),
  );
  return out;
}
