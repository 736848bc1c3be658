/**
 * What is never drift, and why. Each entry is either `noise` (server-managed or read-only data
 * Azure changes on its own) or `secret` (write-only values ARM never returns, the `x-ms-secret`
 * properties of the REST specs: a value on one side only would cry wolf, so they are compared
 * only when both sides have them, as keyed hashes, and never printed).
 *
 * - `keys` match a property name at any depth (case-insensitive).
 * - `pattern` matches property names at any depth.
 * - `paths` match from the resource root: dot-separated, `[]` for any array element, `*` for any
 *   object key (e.g. the resource-id keys of `userAssignedIdentities`).
 * - `resourceType` `*` applies to every type; otherwise to that type only (case-insensitive).
 */
export interface NoiseEntry {
  id: string;
  kind: 'noise' | 'secret';
  resourceType: string;
  keys?: string[];
  pattern?: RegExp;
  paths?: string[];
  why: string;
}

export const NOISE_CATALOGUE: readonly NoiseEntry[] = [
  // ---- generic: every resource type ----
  {
    id: 'etag',
    kind: 'noise',
    resourceType: '*',
    keys: ['etag'],
    why: 'ARM rewrites the etag on every write, including writes Azure makes itself; it is a concurrency token, not configuration.',
  },
  {
    id: 'provisioning-state',
    kind: 'noise',
    resourceType: '*',
    keys: ['provisioningState'],
    why: 'Reports the last operation (Succeeded, Updating…), at the top and in sub-resources; it is status, not configuration.',
  },
  {
    id: 'system-data',
    kind: 'noise',
    resourceType: '*',
    keys: ['systemData'],
    why: 'Created/modified metadata ARM maintains; used for attribution, never compared.',
  },
  {
    id: 'resource-guid',
    kind: 'noise',
    resourceType: '*',
    keys: ['resourceGuid'],
    why: 'A server-assigned immutable identifier (Microsoft.Network) that changes only on re-creation.',
  },
  {
    id: 'managed-identity-ids',
    kind: 'noise',
    resourceType: '*',
    paths: [
      'identity.principalId',
      'identity.tenantId',
      'identity.userAssignedIdentities.*.principalId',
      'identity.userAssignedIdentities.*.clientId',
    ],
    why: 'Entra assigns these ids to a managed identity; read-only, they are not part of what a template sets.',
  },
  {
    id: 'timestamps',
    kind: 'noise',
    resourceType: '*',
    keys: [
      'timeCreated',
      'changedTime',
      'lastModified',
      'lastModifiedTimeUtc',
      'lastModifiedTime',
      'lastModifiedAt',
      'createdTime',
      'creationTime',
      'createdAt',
      'createdOn',
      'updatedAt',
      'updatedOn',
      'lastUpdated',
      'lastUpdatedTime',
      'lastUpdateTime',
      'modifiedTime',
      'changedAt',
      'lastGeoFailoverTime',
      'keyCreationTime',
    ],
    // `last…Time`, `created…At`, `creation…Date`: names Azure gives the timestamps it maintains.
    pattern:
      /^(last|created|creation|modified|changed|updated)\w*(Time|At|On|Date|DateTime|TimeUtc)$|(TimeUtc|Timestamp)$/i,
    why: 'Timestamps of operations Azure performs (creation, modification, failover, key rotation) change without any configuration change.',
  },
  {
    id: 'runtime-status',
    kind: 'noise',
    resourceType: '*',
    keys: [
      'instanceView',
      'powerState',
      'statusOfPrimary',
      'statusOfSecondary',
      'geoReplicationStats',
      'primaryEndpoints',
      'secondaryEndpoints',
      'inProgressOperationId',
    ],
    why: 'Runtime state and derived endpoints reported by the provider; they describe what is happening now, not how the resource is configured.',
  },
  // ---- secrets: compared only as keyed hashes, never printed ----
  // A property merely *named* like a secret store (`keys`, `secrets`) is not one: a Key Vault
  // access policy's `permissions.keys` / `permissions.secrets` are grants, and grants are drift.
  {
    id: 'write-only-secret',
    kind: 'secret',
    resourceType: '*',
    keys: ['customData', 'protectedSettings', 'secureValue'],
    pattern:
      /(password|secret|connectionString|accountKey|accessKey|sharedKey|primaryKey|secondaryKey|sasToken|privateKey|protectedSettings)$/i,
    why: 'Write-only (x-ms-secret) values ARM does not return: absent on one side is not drift (a baseline written from a template has them, a read does not); present on both, they are compared as keyed hashes and never shown.',
  },
  {
    id: 'key-vault-secret-value',
    kind: 'secret',
    resourceType: 'Microsoft.KeyVault/vaults/secrets',
    paths: ['properties.value'],
    why: 'The secret itself: write-only, never returned by a read; compared as a keyed hash when both sides have it.',
  },
  {
    id: 'container-app-secret-value',
    kind: 'secret',
    resourceType: 'Microsoft.App/containerApps',
    paths: ['properties.configuration.secrets[].value'],
    why: 'Container Apps secret values are write-only; compared as keyed hashes when both sides have them.',
  },
  // ---- per resource type ----
  {
    id: 'nsg-default-rules',
    kind: 'noise',
    resourceType: 'Microsoft.Network/networkSecurityGroups',
    paths: ['properties.defaultSecurityRules', 'properties.subnets'],
    why: 'Default rules are created by the platform and cannot be changed; `subnets` lists the subnets that reference this NSG (a back-reference, drift of the subnet).',
  },
  {
    id: 'network-back-references',
    kind: 'noise',
    resourceType: '*',
    paths: [
      'properties.networkInterfaces',
      'properties.subnets[].properties.ipConfigurations',
      'properties.subnets[].properties.ipConfigurationProfiles',
      'properties.subnets[].properties.serviceAssociationLinks',
      'properties.subnets[].properties.resourceNavigationLinks',
      'properties.subnets[].properties.privateEndpoints',
      'properties.privateEndpointConnections[].properties.privateEndpoint',
    ],
    why: 'Back-references ARM fills in when another resource attaches (a NIC to a subnet or NSG); that change is drift of the attaching resource, reported there.',
  },
  {
    id: 'subnet-back-references',
    kind: 'noise',
    resourceType: 'Microsoft.Network/virtualNetworks/subnets',
    paths: [
      'properties.ipConfigurations',
      'properties.ipConfigurationProfiles',
      'properties.privateEndpoints',
      'properties.serviceAssociationLinks',
      'properties.resourceNavigationLinks',
    ],
    why: 'Back-references ARM fills in when a NIC or private endpoint attaches to the subnet.',
  },
  {
    id: 'public-ip-dynamic-address',
    kind: 'noise',
    resourceType: 'Microsoft.Network/publicIPAddresses',
    paths: ['properties.ipAddress', 'properties.ipConfiguration'],
    why: 'The configuration it is attached to is a back-reference; the address is assigned by the platform (and changes for dynamic allocation); the allocation method is the configuration.',
  },
  {
    id: 'vm-assigned-ids',
    kind: 'noise',
    resourceType: 'Microsoft.Compute/virtualMachines',
    paths: [
      'properties.vmId',
      'properties.storageProfile.osDisk.managedDisk.id',
      'properties.storageProfile.dataDisks[].managedDisk.id',
    ],
    why: "Ids the platform assigns (the VM's unique id, the managed disks it created).",
  },
  {
    id: 'web-runtime',
    kind: 'noise',
    resourceType: 'Microsoft.Web/sites',
    paths: [
      'properties.state',
      'properties.usageState',
      'properties.availabilityState',
      'properties.hostNameSslStates',
      'properties.outboundIpAddresses',
      'properties.possibleOutboundIpAddresses',
      'properties.suspendedTill',
      'properties.slotSwapStatus',
      'properties.defaultHostName',
      'properties.repositorySiteName',
      'properties.enabledHostNames',
      'properties.trafficManagerHostNames',
      'properties.siteConfig.machineKey',
      'properties.inboundIpAddress',
    ],
    why: 'Runtime state (Running/Stopped, usage, availability) and platform-derived host names and outbound addresses of an App Service app.',
  },
  {
    id: 'sql-runtime',
    kind: 'noise',
    resourceType: 'Microsoft.Sql/servers',
    paths: ['properties.state', 'properties.fullyQualifiedDomainName'],
    why: 'Server state (Ready…) and the platform-derived host name.',
  },
  {
    id: 'aks-platform-versions',
    kind: 'noise',
    resourceType: 'Microsoft.ContainerService/managedClusters',
    paths: [
      'properties.currentKubernetesVersion',
      'properties.agentPoolProfiles[].currentOrchestratorVersion',
      'properties.agentPoolProfiles[].nodeImageVersion',
      'properties.agentPoolProfiles[].powerState',
      'properties.fqdn',
      'properties.azurePortalFQDN',
      'properties.privateFQDN',
      'properties.maxAgentPools',
    ],
    why: 'Versions the platform rolls out by auto-upgrade, agent pool power state and derived FQDNs; the requested Kubernetes version is the configuration.',
  },
  {
    id: 'keyvault-derived',
    kind: 'noise',
    resourceType: 'Microsoft.KeyVault/vaults',
    paths: ['properties.vaultUri', 'properties.hsmPoolResourceId'],
    why: 'Derived from the vault name by the platform.',
  },
];
