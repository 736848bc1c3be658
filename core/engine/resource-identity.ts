/**
 * Facts derived from an ARM resource id. ARM ids, types and resource group names are
 * case-insensitive, and providers echo different casings (the AKS GET example returns
 * `/resourcegroups/` and `Microsoft.ContainerService/ManagedClusters`), so keys are lower-cased.
 */

/** The comparison key for a resource id. */
export function idKey(id: string): string {
  return id.toLowerCase();
}

/** The resource type of an id: `Microsoft.Network/networkSecurityGroups/securityRules`. */
export function typeFromId(id: string): string {
  const segments = id.split('/').filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (at === -1 || at + 1 >= segments.length) {
    return segments.length <= 2
      ? 'Microsoft.Resources/subscriptions'
      : 'Microsoft.Resources/resourceGroups';
  }
  const namespace = segments[at + 1] ?? '';
  const types: string[] = [];
  for (let i = at + 2; i < segments.length; i += 2) types.push(segments[i] ?? '');
  return [namespace, ...types].join('/');
}

/** The last segment of an id: the resource's name. */
export function nameFromId(id: string): string {
  const segments = id.split('/').filter(Boolean);
  return segments[segments.length - 1] ?? id;
}

/** Subscription id and resource group name (lower-cased) of an id, where present. */
export function scopeOfId(id: string): { subscriptionId?: string; resourceGroup?: string } {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?/i.exec(id);
  if (!m) return {};
  const out: { subscriptionId?: string; resourceGroup?: string } = {};
  if (m[1]) out.subscriptionId = m[1].toLowerCase();
  if (m[2]) out.resourceGroup = m[2].toLowerCase();
  return out;
}

/** Canonical location name: `East US 2` and `eastus2` are the same region. */
export function canonicalLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

/**
 * How people name a resource: its name, or for a child resource the names of its parents too,
 * as ARM writes them (`app-web-prod/web` for `sites/app-web-prod/config/web`).
 */
export function displayName(id: string, name?: string): string {
  const segments = id.split('/').filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (at === -1) return name ?? nameFromId(id);
  const names: string[] = [];
  for (let i = at + 3; i < segments.length; i += 2) names.push(segments[i] ?? '');
  return names.length > 1 ? names.join('/') : (name ?? nameFromId(id));
}
