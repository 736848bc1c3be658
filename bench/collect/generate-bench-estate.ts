import type { ArmResource } from '../../core/model/resource.js';

const TYPES = [
  ['Microsoft.Storage/storageAccounts', 'st'],
  ['Microsoft.Network/networkSecurityGroups', 'nsg'],
  ['Microsoft.Network/virtualNetworks', 'vnet'],
  ['Microsoft.Compute/disks', 'disk'],
] as const;

/** `count` ARM-like resources (~1 KB each) in one subscription, spread over 20 resource groups. */
export function generateBenchEstate(subscriptionId: string, count: number): ArmResource[] {
  const resources: ArmResource[] = [];
  for (let i = 0; i < count; i++) {
    const [type, prefix] = TYPES[i % TYPES.length] as (typeof TYPES)[number];
    const name = `${prefix}${String(i).padStart(6, '0')}`;
    resources.push({
      id: `/subscriptions/${subscriptionId}/resourceGroups/rg-${i % 20}/providers/${type}/${name}`,
      name,
      type,
      location: i % 3 === 0 ? 'westeurope' : 'northeurope',
      tags: {
        env: i % 2 ? 'prod' : 'dev',
        owner: `team-${i % 7}`,
        costCenter: String(1000 + (i % 50)),
      },
      properties: {
        provisioningState: 'Succeeded',
        index: i,
        settings: {
          enabled: i % 5 !== 0,
          tier: i % 4 ? 'Standard' : 'Premium',
          retentionDays: 7 + (i % 30),
        },
        addresses: [`10.${i % 256}.0.0/16`, `10.${(i + 1) % 256}.0.0/16`],
        description: 'x'.repeat(400),
      },
    });
  }
  return resources;
}
