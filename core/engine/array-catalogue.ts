/**
 * How the engine matches the elements of object arrays and when a list's order is configuration.
 *
 * Arrays of objects whose elements carry a unique `name` or `id` are matched by it everywhere
 * (security rules, subnets…): no entry needed. The entries below cover the arrays whose elements
 * have neither, where Azure keeps no stable order (two reads can list access policies or network
 * rules differently), so comparing by index would report a reorder as drift. Arrays with no
 * entry and no name or id are compared as multisets: an element that is in both reads (equal
 * content) matches whatever its position, and only elements added or removed are reported.
 *
 * Lists of scalars are sets unless listed under `ordered`, where the provider tries the entries
 * in order (so a reorder changes behaviour and is drift).
 *
 * `path` uses the noise catalogue's syntax: dot-separated from the resource root, `[]` for any
 * element, `*` for any object key; `resourceType` `*` applies to every type.
 */
export type ArrayShapeEntry =
  | {
      kind: 'identity';
      resourceType: string;
      path: string;
      /** Element fields that together identify an element (compared case-insensitively). */
      key: readonly string[];
      /** Fields shown in the path label (default: every key field the element has). */
      label?: readonly string[];
      why: string;
    }
  | { kind: 'ordered'; resourceType: string; path: string; why: string };

export const ARRAY_CATALOGUE: readonly ArrayShapeEntry[] = [
  // ---- identities of unnamed elements ----
  {
    kind: 'identity',
    resourceType: 'Microsoft.KeyVault/vaults',
    path: 'properties.accessPolicies',
    key: ['objectId', 'applicationId', 'tenantId'],
    label: ['objectId', 'applicationId'],
    why: 'An access policy belongs to one principal (object id, plus application id for compound identities) in one tenant; Key Vault returns policies in no stable order.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.networkAcls.ipRules',
    key: ['value'],
    why: 'Storage and Key Vault IP rules are identified by the address or range they admit.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.networkAcls.virtualNetworkRules',
    key: ['id'],
    why: 'A virtual network rule names the subnet it admits (`id` in both Storage and Key Vault).',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.Storage/storageAccounts',
    path: 'properties.networkAcls.resourceAccessRules',
    key: ['resourceId', 'tenantId'],
    why: 'A resource instance rule admits one resource (by id) of one tenant.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.networkRuleSet.ipRules',
    key: ['ipMask', 'value'],
    why: 'Container Registry, Event Hubs and Service Bus IP rules are identified by the range they admit (`ipMask` or `value`).',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    path: 'properties.ipRules',
    key: ['ipAddressOrRange'],
    why: 'A Cosmos DB IP rule is identified by the address or range it admits.',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    path: 'properties.virtualNetworkRules',
    key: ['id'],
    why: 'A Cosmos DB virtual network rule names the subnet it admits.',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.DocumentDB/databaseAccounts',
    path: 'properties.locations',
    key: ['locationName'],
    why: 'A Cosmos DB region is identified by its location; failover priority is a field of it, not its position.',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.Compute/virtualMachines',
    path: 'properties.storageProfile.dataDisks',
    key: ['lun'],
    why: 'A data disk is attached at a LUN; the LUN, not the list position, is what the guest sees.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.ipSecurityRestrictions',
    key: ['ipAddress', 'vnetSubnetResourceId', 'serviceTag'],
    why: 'App Service evaluates access restrictions by priority, not position; a restriction is identified by what it admits (names are optional and may repeat).',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.scmIpSecurityRestrictions',
    key: ['ipAddress', 'vnetSubnetResourceId', 'serviceTag'],
    why: 'As for ipSecurityRestrictions, on the SCM (Kudu) site.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.siteConfig.ipSecurityRestrictions',
    key: ['ipAddress', 'vnetSubnetResourceId', 'serviceTag'],
    why: 'The same restrictions embedded in a site’s siteConfig.',
  },
  {
    kind: 'identity',
    resourceType: '*',
    path: 'properties.virtualApplications',
    key: ['virtualPath'],
    why: 'An App Service virtual application is identified by its virtual path.',
  },
  {
    kind: 'identity',
    resourceType: 'Microsoft.Network/virtualNetworks',
    path: 'properties.virtualNetworkPeerings',
    key: ['name'],
    why: 'Peerings are child resources named uniquely within the network.',
  },

  // ---- ordered lists: the provider tries the entries in order ----
  {
    kind: 'ordered',
    resourceType: '*',
    path: 'properties.defaultDocuments',
    why: 'App Service serves the first default document that exists, in list order.',
  },
  {
    kind: 'ordered',
    resourceType: '*',
    path: 'properties.siteConfig.defaultDocuments',
    why: 'The same default documents embedded in a site’s siteConfig.',
  },
  {
    kind: 'ordered',
    resourceType: 'Microsoft.Network/virtualNetworks',
    path: 'properties.dhcpOptions.dnsServers',
    why: 'VMs receive the DNS servers in this order and query the first one first.',
  },
  {
    kind: 'ordered',
    resourceType: 'Microsoft.Network/networkInterfaces',
    path: 'properties.dnsSettings.dnsServers',
    why: 'A NIC’s DNS servers are handed to the guest in this order (primary first).',
  },
  {
    kind: 'ordered',
    resourceType: 'Microsoft.ContainerInstance/containerGroups',
    path: 'properties.containers[].properties.command',
    why: 'A container’s command is an argv: its order is the command line.',
  },
  {
    kind: 'ordered',
    resourceType: 'Microsoft.App/containerApps',
    path: 'properties.template.containers[].command',
    why: 'A container’s command is an argv: its order is the command line.',
  },
  {
    kind: 'ordered',
    resourceType: 'Microsoft.App/containerApps',
    path: 'properties.template.containers[].args',
    why: 'Container arguments are passed in order.',
  },
];
