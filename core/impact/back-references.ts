/**
 * Properties in which ARM lists, on the referenced resource, who refers to it: the NSG's
 * `subnets` and `networkInterfaces`, a subnet's `ipConfigurations`, a public IP's
 * `ipConfiguration`, a disk's `managedBy`. The reference they mirror runs the other way (the
 * subnet names its NSG), so the edge is stored reversed and counted once with its forward twin.
 * Keys: lower-cased resource type, then the property path with array selectors as `[]`.
 */
const BACK_REFERENCES = new Set([
  'microsoft.network/networksecuritygroups properties.subnets[].id',
  'microsoft.network/networksecuritygroups properties.networkInterfaces[].id',
  'microsoft.network/routetables properties.subnets[].id',
  'microsoft.network/natgateways properties.subnets[].id',
  'microsoft.network/virtualnetworks/subnets properties.ipConfigurations[].id',
  'microsoft.network/virtualnetworks/subnets properties.privateEndpoints[].id',
  'microsoft.network/virtualnetworks/subnets properties.ipConfigurationProfiles[].id',
  'microsoft.network/publicipaddresses properties.ipConfiguration.id',
  'microsoft.network/networkinterfaces properties.virtualMachine.id',
  'microsoft.network/networkinterfaces properties.privateEndpoint.id',
  'microsoft.network/loadbalancers properties.backendAddressPools[].properties.backendIPConfigurations[].id',
  'microsoft.network/loadbalancers properties.inboundNatRules[].properties.backendIPConfiguration.id',
  'microsoft.network/applicationgateways properties.backendAddressPools[].properties.backendIPConfigurations[].id',
  'microsoft.network/ddosprotectionplans properties.virtualNetworks[].id',
  'microsoft.compute/disks managedBy',
]);

const BY_TYPE = new Map<string, Set<string>>();
for (const entry of BACK_REFERENCES) {
  const [type, path] = entry.split(' ') as [string, string];
  const paths = BY_TYPE.get(type) ?? new Set<string>();
  paths.add(path);
  BY_TYPE.set(type, paths);
}

/** The same paths as segments (`properties.subnets[].id` → properties, subnets, [], id). */
const SEGMENTS_BY_TYPE = new Map<string, string[][]>();
for (const [type, paths] of BY_TYPE) {
  SEGMENTS_BY_TYPE.set(
    type,
    [...paths].map((path) =>
      path.split('.').flatMap((part) => {
        const name = part.replace(/(\[\])+$/, '');
        const arrays = (part.length - name.length) / 2;
        return [name, ...Array.from({ length: arrays }, () => '[]')];
      }),
    ),
  );
}

/**
 * True when `segments` (array selectors as their own `[]` segment) is a back-reference path of
 * `lowerType`: what the graph walk asks of every reference, without joining a path string.
 */
export function isBackReferenceAt(lowerType: string, segments: readonly string[]): boolean {
  const candidates = SEGMENTS_BY_TYPE.get(lowerType);
  if (!candidates) return false;
  return candidates.some(
    (c) => c.length === segments.length && c.every((part, i) => part === segments[i]),
  );
}

/** The back-reference paths of a (lower-cased) type, or undefined when it has none. */
export function backReferencesOf(lowerType: string): ReadonlySet<string> | undefined {
  return BY_TYPE.get(lowerType);
}

/** True when `path` on a resource of `lowerType` is a back-reference (see the table above). */
export function isBackReference(lowerType: string, path: string): boolean {
  return BY_TYPE.get(lowerType)?.has(path) === true;
}
