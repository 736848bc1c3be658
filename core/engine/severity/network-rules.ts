/**
 * Network exposure: what an attacker who can edit a network setting opens to the internet. NSG
 * rules (single fields, lists and port ranges), address allow-lists, database firewall ranges,
 * detached NSGs, attached public IPs, and storage or service endpoints opened to the public.
 */
import type { ArmResource } from '../../model/resource.js';
import { admitsAny, isWholeInternetRange, managementExposure, openToAny } from '../exposure.js';
import type { ChangeContext, SeverityRule } from '../severity-rules.js';
import { endsWith, isSet, lower } from './rule-helpers.js';

/** Paths of address allow-lists (IP rules, access restrictions, range filters, authorised ranges). */
const ADDRESS_LIST_PATH =
  /(ipRules|ipSecurityRestrictions|scmIpSecurityRestrictions|ipRangeFilter|authorizedIPRanges|sourceAddressPrefixes|allowedIpRanges|ipAllowlist)(\[[^\]]+\])?(\.[A-Za-z]+)?$/;

/** The NSG security rule a change belongs to, before and after (embedded or child resource). */
function securityRules(
  c: ChangeContext,
): { before?: Record<string, unknown>; after?: Record<string, unknown> } | undefined {
  if (c.resourceType === 'microsoft.network/networksecuritygroups/securityrules') {
    return { before: c.beforeResource?.properties, after: c.afterResource?.properties };
  }
  if (c.resourceType !== 'microsoft.network/networksecuritygroups') return undefined;
  const name = /^properties\.securityRules\[([^\]]+)\]/.exec(c.path)?.[1];
  if (!name) return undefined;
  const find = (r: ArmResource | undefined) => {
    const rules = r?.properties?.securityRules;
    const rule = Array.isArray(rules)
      ? rules.find((x) => lower((x as ArmResource)?.name) === name.toLowerCase())
      : undefined;
    return (rule as ArmResource | undefined)?.properties;
  };
  return { before: find(c.beforeResource), after: find(c.afterResource) };
}

export const NETWORK_RULES: readonly SeverityRule[] = [
  {
    id: 'nsg-mgmt-port-open-to-any',
    severity: 'critical',
    onAdded: true,
    why: 'a management port is reachable from any source',
    match(c) {
      const rules = securityRules(c);
      if (!rules) return false;
      const now = managementExposure(rules.after);
      return now !== undefined && managementExposure(rules.before) !== now
        ? `${now} reachable from any source`
        : false;
    },
  },
  {
    id: 'nsg-inbound-open-to-any',
    severity: 'high',
    onAdded: true,
    why: 'an inbound allow rule now accepts traffic from any source',
    match(c) {
      const rules = securityRules(c);
      return (
        rules !== undefined &&
        openToAny(rules.after) !== undefined &&
        openToAny(rules.before) === undefined
      );
    },
  },
  {
    id: 'nsg-rule-changed',
    severity: 'medium',
    why: 'a network security rule changed',
    match: (c) => securityRules(c) !== undefined,
  },
  // An attacker who can edit a firewall opens it to the world: a database or service firewall
  // range of 0.0.0.0–255.255.255.255 exposes its login endpoint to every address.
  {
    id: 'firewall-rule-admits-internet',
    severity: 'critical',
    onAdded: true,
    why: 'a firewall rule admits every internet address (0.0.0.0–255.255.255.255)',
    match(c) {
      if (!c.resourceType.endsWith('/firewallrules')) return false;
      const now = c.afterResource?.properties;
      const was = c.beforeResource?.properties;
      return (
        isWholeInternetRange(now?.startIpAddress, now?.endIpAddress) &&
        !isWholeInternetRange(was?.startIpAddress, was?.endIpAddress)
      );
    },
  },
  // The list-valued twin of the NSG rules: storage/Key Vault IP rules, App Service access
  // restrictions, Cosmos DB range filters, AKS authorised ranges gaining "any" or a /0 range.
  {
    id: 'address-list-admits-any',
    severity: 'high',
    onAdded: true,
    why: 'an address allow-list now admits any source',
    match: (c) => ADDRESS_LIST_PATH.test(c.path) && admitsAny(c.after) && !admitsAny(c.before),
  },
  // Taking the NSG off a subnet or NIC removes every filter in front of what sits there.
  {
    id: 'nsg-detached',
    severity: 'high',
    why: 'a network security group was detached: traffic is no longer filtered',
    match: (c) => /networkSecurityGroup(\.id)?$/.test(c.path) && isSet(c.before) && !isSet(c.after),
  },
  {
    id: 'public-ip-attached',
    severity: 'high',
    onAdded: true,
    why: 'a public IP address was attached: the resource is reachable from the internet',
    match: (c) =>
      /ipConfigurations\[[^\]]+\]\.properties\.publicIPAddress(\.id)?$/.test(c.path) &&
      isSet(c.after) &&
      !isSet(c.before),
  },
  {
    id: 'storage-public-blob-access',
    severity: 'high',
    onAdded: true,
    why: 'anonymous public read access to blobs is allowed',
    match: (c) => endsWith(c.path, 'allowBlobPublicAccess') && c.after === true,
  },
  {
    id: 'firewall-default-allow',
    severity: 'high',
    why: 'the network firewall now allows all traffic by default',
    match: (c) => endsWith(c.path, 'networkAcls.defaultAction') && lower(c.after) === 'allow',
  },
  {
    id: 'public-network-access-enabled',
    severity: 'high',
    why: 'public network access was enabled',
    match: (c) => endsWith(c.path, 'publicNetworkAccess') && lower(c.after) === 'enabled',
  },
];
