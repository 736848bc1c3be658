/**
 * ARM resource ids inside property values. Ids are case-insensitive (providers echo different
 * casings), so every key here is lower-cased.
 */

/** A string that is an ARM resource id under a resource group (`/subscriptions/…/providers/…`). */
const RESOURCE_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i;

/** Subnets are addressable on their own (NICs, private endpoints, apps sit in them): kept as nodes. */
const SUBNET =
  /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/virtualnetworks\/[^/]+\/subnets\/[^/]+)/;

/** The type every subnet node carries, standalone or embedded in its virtual network. */
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';

/**
 * True for a value worth resolving: cheap character tests first, so the common string (a name,
 * a SKU, a date) costs two comparisons.
 */
export function looksLikeResourceId(value: string): boolean {
  return (
    value.length > 40 &&
    value.charCodeAt(0) === 47 &&
    (value.charCodeAt(1) === 115 || value.charCodeAt(1) === 83) &&
    RESOURCE_ID.test(value)
  );
}

/** The subnet a (lower-cased) id is or lies under, if any: `…/virtualnetworks/v/subnets/s`. */
export function subnetKeyOf(key: string): string | undefined {
  return SUBNET.exec(key)?.[1];
}

/**
 * The node a referenced id stands for: the id itself when it is a resource in the snapshot (or a
 * subnet), else the nearest parent that is, else the top-level resource (outside the snapshot).
 * `…/networkInterfaces/nic/ipConfigurations/ipconfig1` → `…/networkinterfaces/nic`.
 *
 * @example
 * resolveReference('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/web', has)
 * // → '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/web'
 */
export function resolveReference(id: string, has: (key: string) => boolean): string {
  let key = id.toLowerCase();
  if (key.endsWith('/')) key = key.slice(0, -1);
  if (has(key)) return key;
  const subnet = subnetKeyOf(key);
  if (subnet) return subnet;
  const segments = key.split('/');
  // '', subscriptions, s, resourcegroups, rg, providers, ns, type, name = 9 segments for a top-level resource.
  for (let end = segments.length - 2; end >= 9; end -= 2) {
    const parent = segments.slice(0, end).join('/');
    if (has(parent)) return parent;
  }
  return segments.slice(0, 9).join('/');
}

/** The parent resource key of a child resource key (`…/sites/app/config/web` → `…/sites/app`). */
export function parentKeyOf(key: string): string | undefined {
  const segments = key.split('/');
  return segments.length > 9 ? segments.slice(0, -2).join('/') : undefined;
}
