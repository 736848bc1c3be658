import type { ArmResource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';

/** What a severity rule sees of one change. */
export interface ChangeContext {
  /** Lower-cased resource type. */
  resourceType: string;
  path: string;
  before: unknown;
  after: unknown;
  beforeResource: ArmResource | undefined;
  afterResource: ArmResource | undefined;
}

/** A built-in or user rule: the first that matches scores the change and says why. */
export interface SeverityRule {
  id: string;
  severity: Severity;
  why: string;
  /** True (use `why`) or a more specific explanation; false/undefined when it does not apply. */
  match(change: ChangeContext): boolean | string | undefined;
}

const MANAGEMENT_PORTS: Record<number, string> = {
  22: 'SSH',
  3389: 'RDP',
  5985: 'WinRM',
  5986: 'WinRM',
};
const ANY_SOURCE = new Set(['*', 'internet', '0.0.0.0/0', 'any', '::/0', '0.0.0.0']);
const TLS_RANK: Record<string, number> = {
  tls1_0: 0,
  '1.0': 0,
  tls1_1: 1,
  '1.1': 1,
  tls1_2: 2,
  '1.2': 2,
  tls1_3: 3,
  '1.3': 3,
};

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const endsWith = (path: string, suffix: string) => path === suffix || path.endsWith(`.${suffix}`);

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

/** Ports a rule opens to any source inbound, or undefined if it does not. */
function openToAny(rule: Record<string, unknown> | undefined): number[] | 'all' | undefined {
  if (!rule || lower(rule.direction) !== 'inbound' || lower(rule.access) !== 'allow')
    return undefined;
  const sources = [
    rule.sourceAddressPrefix,
    ...(Array.isArray(rule.sourceAddressPrefixes) ? rule.sourceAddressPrefixes : []),
  ];
  if (!sources.some((s) => typeof s === 'string' && ANY_SOURCE.has(s.toLowerCase())))
    return undefined;
  const ranges = [
    rule.destinationPortRange,
    ...(Array.isArray(rule.destinationPortRanges) ? rule.destinationPortRanges : []),
  ].filter((r): r is string => typeof r === 'string');
  if (ranges.some((r) => r === '*')) return 'all';
  const ports: number[] = [];
  for (const range of ranges) {
    const [lo, hi] = range.split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) continue;
    for (const p of Object.keys(MANAGEMENT_PORTS).map(Number))
      if (p >= lo && p <= (hi ?? lo)) ports.push(p);
  }
  return ports.length > 0 ? ports : ranges.length > 0 ? [] : undefined;
}

function managementExposure(rule: Record<string, unknown> | undefined): string | undefined {
  const open = openToAny(rule);
  if (open === undefined) return undefined;
  if (open === 'all') return 'all ports, including SSH and RDP';
  const names = [...new Set(open.map((p) => `${MANAGEMENT_PORTS[p]} (${p})`))];
  return names.length > 0 ? names.join(', ') : undefined;
}

/**
 * Built-in severity rules, most specific first. Each says why it scores as it does; users can
 * override a rule's severity (or turn it off) and add their own rules ahead of these in config.
 */
export const BUILT_IN_SEVERITY_RULES: readonly SeverityRule[] = [
  {
    id: 'nsg-mgmt-port-open-to-any',
    severity: 'critical',
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
  {
    id: 'storage-public-blob-access',
    severity: 'high',
    why: 'anonymous public read access to blobs is allowed',
    match: (c) => endsWith(c.path, 'allowBlobPublicAccess') && c.after === true,
  },
  {
    id: 'storage-http-allowed',
    severity: 'high',
    why: 'unencrypted HTTP traffic is accepted',
    match: (c) => endsWith(c.path, 'supportsHttpsTrafficOnly') && c.after === false,
  },
  {
    id: 'https-only-off',
    severity: 'high',
    why: 'the app accepts plain HTTP',
    match: (c) => endsWith(c.path, 'httpsOnly') && c.after === false,
  },
  {
    id: 'tls-lowered',
    severity: 'high',
    why: 'the minimum TLS version was lowered',
    match(c) {
      if (!/(minimumTlsVersion|minTlsVersion)$/i.test(c.path)) return false;
      const before = TLS_RANK[String(lower(c.before))];
      const after = TLS_RANK[String(lower(c.after))];
      return before !== undefined && after !== undefined && after < before
        ? `minimum TLS lowered from ${c.before} to ${c.after}`
        : false;
    },
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
  {
    id: 'purge-protection-off',
    severity: 'high',
    why: 'Key Vault purge protection is off: deleted secrets can be purged for good',
    match: (c) =>
      endsWith(c.path, 'enablePurgeProtection') && c.before === true && c.after !== true,
  },
  {
    id: 'soft-delete-off',
    severity: 'high',
    why: 'soft delete is off: deletions cannot be recovered',
    match: (c) => endsWith(c.path, 'enableSoftDelete') && c.after === false,
  },
  {
    id: 'ftp-allowed',
    severity: 'high',
    why: 'plain FTP (credentials in clear text) is allowed',
    match: (c) => endsWith(c.path, 'ftpsState') && lower(c.after) === 'allallowed',
  },
  {
    id: 'local-auth-enabled',
    severity: 'medium',
    why: 'key-based local authentication was re-enabled',
    match: (c) =>
      (endsWith(c.path, 'disableLocalAuth') && c.after === false) ||
      (endsWith(c.path, 'allowSharedKeyAccess') && c.after === true),
  },
  {
    id: 'vm-size-changed',
    severity: 'medium',
    why: 'the VM size changed (cost and capacity)',
    match: (c) => c.path === 'properties.hardwareProfile.vmSize',
  },
  {
    id: 'sku-changed',
    severity: 'medium',
    why: 'the SKU changed (cost, capacity or features)',
    match: (c) => c.path === 'sku' || c.path.startsWith('sku.'),
  },
  {
    id: 'identity-changed',
    severity: 'medium',
    why: 'the managed identity configuration changed',
    match: (c) => c.path === 'identity' || c.path.startsWith('identity.'),
  },
  {
    id: 'tag-changed',
    severity: 'low',
    why: 'a tag changed',
    match: (c) => c.path === 'tags' || c.path.startsWith('tags.'),
  },
  {
    id: 'property-changed',
    severity: 'medium',
    why: 'a configuration property changed outside its deployment',
    match: () => true,
  },
];

/** Finding-level rules for resources that appeared, disappeared or could not be read. */
export const FINDING_RULES = {
  added: {
    id: 'resource-added',
    severity: 'medium',
    why: 'a resource exists that the baseline does not know',
  },
  addedExposed: {
    id: 'public-endpoint-added',
    severity: 'high',
    why: 'a new public IP address or inbound rule appeared',
  },
  removed: {
    id: 'resource-removed',
    severity: 'high',
    why: 'a resource in the baseline no longer exists',
  },
  unknown: {
    id: 'resource-unknown',
    severity: 'info',
    why: 'the resource could not be read, so drift cannot be ruled out',
  },
} as const satisfies Record<string, { id: string; severity: Severity; why: string }>;
