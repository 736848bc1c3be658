import generated from './generated/read-only-paths.json' with { type: 'json' };
import type { NoiseEntry } from './noise-catalogue.js';

/**
 * Paths the generated catalogue marks read-only that are configuration all the same: the GET
 * model of the SDK marks them read-only because another model (create or update) writes them, or
 * they are a security state a person changes. These stay compared; each says why.
 */
export const READ_ONLY_OVERRIDES: readonly { resourceType: string; path: string; why: string }[] = [
  {
    resourceType: '*',
    path: 'kind',
    why: 'Set at creation and changed only by an upgrade or a re-creation (StorageV2, a SQL kind): worth knowing.',
  },
  {
    resourceType: '*',
    path: 'properties.privateEndpointConnections',
    why: 'A connection approved on the resource is a new network path into it.',
  },
  {
    resourceType: 'Microsoft.Storage/storageAccounts',
    path: 'properties.accessTier',
    why: 'Written through the update model; the GET model marks it read-only. Hot/Cool changes cost and latency.',
  },
  {
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    path: 'properties.locations',
    why: 'Regions are written through the create/update model: a region added or removed is configuration.',
  },
  {
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    path: 'properties.failoverPolicies',
    why: 'Failover priorities are changed through their own API: they decide where writes go.',
  },
  {
    resourceType: 'Microsoft.DBforMySQL/flexibleServers',
    path: 'properties.network.publicNetworkAccess',
    why: 'Derived from the network configuration, but it says whether the server is reachable from the internet.',
  },
  {
    resourceType: 'Microsoft.RecoveryServices/vaults',
    path: 'properties.securitySettings.multiUserAuthorization',
    why: 'A security state: whether critical backup operations need a second person.',
  },
  {
    resourceType: 'Microsoft.RecoveryServices/vaults',
    path: 'properties.bcdrSecurityLevel',
    why: 'A security state summarising the vault’s protection settings.',
  },
  {
    resourceType: 'Microsoft.Insights/actionGroups',
    path: 'identity',
    why: 'Who the action group acts as: identity configuration.',
  },
];

const overridden = (type: string, path: string) =>
  READ_ONLY_OVERRIDES.some(
    (o) => o.path === path && (o.resourceType === '*' || o.resourceType.toLowerCase() === type),
  );

/** The generator's document: the pinned SDK packages and the read-only paths per type. */
export const READ_ONLY_SOURCE: {
  packages: Record<string, string>;
  types: Record<string, string[]>;
} = generated;

/**
 * Noise entries from the provider metadata: per resource type, the property paths the Azure SDK
 * models mark read-only (server-assigned), less the overrides above. The compiler places them
 * after the hand-written catalogue, which wins where both speak of a property.
 */
export const READ_ONLY_ENTRIES: readonly NoiseEntry[] = Object.entries(READ_ONLY_SOURCE.types).map(
  ([resourceType, paths]) => ({
    id: 'read-only',
    kind: 'noise',
    resourceType,
    paths: paths.filter((p) => !overridden(resourceType, p)),
    why: 'Server-assigned: the provider’s model marks it read-only (generated from the Azure SDK metadata).',
  }),
);
