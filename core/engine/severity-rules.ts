import type { ArmResource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';
import { admitsAny, isWholeInternetRange, managementExposure, openToAny } from './exposure.js';

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
  /**
   * Also scores a resource that appeared, from its body (each property read as a change from
   * nothing). Only for rules whose "after" alone is the risk: a new rule open to the internet is
   * as bad as an old rule opened; a new storage account with default settings is not.
   */
  onAdded?: boolean;
}

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

/** Paths of address allow-lists (IP rules, access restrictions, range filters, authorised ranges). */
const ADDRESS_LIST_PATH =
  /(ipRules|ipSecurityRestrictions|scmIpSecurityRestrictions|ipRangeFilter|authorizedIPRanges|sourceAddressPrefixes|allowedIpRanges|ipAllowlist)(\[[^\]]+\])?(\.[A-Za-z]+)?$/;

/** Role definition GUIDs of Owner, Contributor and User Access Administrator (built-in roles). */
const PRIVILEGED_ROLES = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
];

const isSet = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  v !== '' &&
  !(typeof v === 'object' && Object.keys(v).length === 0);

/**
 * Permissions a Key Vault access policy value grants, as `secrets:get` … Works on a whole
 * policy, its `permissions` object, or one permission list (then labelled by nothing).
 */
function grants(value: unknown, list = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    for (const v of value)
      if (typeof v === 'string') out.add(list ? `${list}:${v.toLowerCase()}` : v.toLowerCase());
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const perms = (o.permissions as Record<string, unknown> | undefined) ?? o;
    for (const kind of ['keys', 'secrets', 'certificates', 'storage'])
      for (const g of grants(perms[kind], kind)) out.add(g);
  }
  return out;
}

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

/**
 * Built-in severity rules, most specific first. Each says why it scores as it does; users can
 * override a rule's severity (or turn it off) and add their own rules ahead of these in config.
 */
export const BUILT_IN_SEVERITY_RULES: readonly SeverityRule[] = [
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
  // Access grants are how an attacker keeps access: a principal that gains secret, key or
  // certificate permissions can read what the vault protects.
  {
    id: 'keyvault-access-widened',
    severity: 'high',
    onAdded: true,
    why: 'a Key Vault access policy grants more than before',
    match(c) {
      if (c.resourceType !== 'microsoft.keyvault/vaults') return false;
      const principal = /^properties\.accessPolicies\[([^\]]+)\]/.exec(c.path)?.[1];
      if (!principal) return false;
      // A change of one permission list (`….permissions.secrets`) carries bare names.
      const list = /\.permissions\.(\w+)$/.exec(c.path)?.[1] ?? '';
      const before = grants(c.before, list);
      const gained = [...grants(c.after, list)].filter((g) => !before.has(g));
      return gained.length > 0 ? `${principal} gained ${gained.join(', ')}` : false;
    },
  },
  {
    id: 'keyvault-rbac-off',
    severity: 'high',
    why: 'Key Vault left RBAC for access policies: any contributor on the vault can grant itself data access',
    match: (c) =>
      endsWith(c.path, 'enableRbacAuthorization') && c.before === true && c.after !== true,
  },
  // Owner, Contributor and User Access Administrator: control of every resource in the scope.
  {
    id: 'role-assignment-privileged',
    severity: 'critical',
    onAdded: true,
    why: 'a principal was given Owner, Contributor or User Access Administrator',
    match: (c) =>
      c.resourceType === 'microsoft.authorization/roleassignments' &&
      c.path === 'properties.roleDefinitionId' &&
      typeof c.after === 'string' &&
      PRIVILEGED_ROLES.some((guid) => (c.after as string).toLowerCase().endsWith(guid)),
  },
  {
    id: 'role-assignment-changed',
    severity: 'high',
    why: 'a role assignment changed (who can do what)',
    match: (c) => c.resourceType === 'microsoft.authorization/roleassignments',
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
    id: 'storage-http-allowed',
    severity: 'high',
    onAdded: true,
    why: 'unencrypted HTTP traffic is accepted',
    match: (c) => endsWith(c.path, 'supportsHttpsTrafficOnly') && c.after === false,
  },
  {
    id: 'https-only-off',
    severity: 'high',
    onAdded: true,
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
  // Encryption at rest: removing a customer-managed key or turning encryption off is silent data
  // exposure to whoever gets the disks or backups.
  {
    id: 'cmk-removed',
    severity: 'high',
    why: 'encryption moved off the customer-managed key',
    match: (c) =>
      endsWith(c.path, 'keySource') &&
      lower(c.before) === 'microsoft.keyvault' &&
      lower(c.after) !== 'microsoft.keyvault',
  },
  {
    id: 'encryption-disabled',
    severity: 'high',
    why: 'encryption was turned off',
    match: (c) =>
      (/encryption[^.]*(\.[^.]+)*\.enabled$/i.test(c.path) &&
        c.after === false &&
        c.before === true) ||
      (/(requireInfrastructureEncryption|encryptionAtHost)$/.test(c.path) &&
        c.before === true &&
        c.after !== true) ||
      (/encryption/i.test(c.resourceType + c.path) &&
        /\.(state|status)$/.test(c.path) &&
        lower(c.after) === 'disabled'),
  },
  // Logging is what an attacker turns off first: audit and diagnostic logs are the record.
  {
    id: 'auditing-disabled',
    severity: 'high',
    why: 'auditing was turned off',
    match: (c) =>
      /auditingsettings$/.test(c.resourceType) &&
      c.path === 'properties.state' &&
      lower(c.after) === 'disabled',
  },
  {
    id: 'diagnostic-logs-disabled',
    severity: 'high',
    why: 'diagnostic logging was reduced: a log category or destination stopped',
    match: (c) =>
      c.resourceType.endsWith('diagnosticsettings') &&
      ((/\.enabled$/.test(c.path) && c.after === false) ||
        (/^properties\.logs\[[^\]]+\]$/.test(c.path) && c.after === undefined) ||
        (/^properties\.(workspaceId|storageAccountId|eventHubAuthorizationRuleId)$/.test(c.path) &&
          !isSet(c.after))),
  },
  // Management-plane doors: a debugger endpoint, a shared admin password, anonymous pulls, local
  // cluster accounts that bypass Entra ID.
  {
    id: 'remote-debugging-on',
    severity: 'high',
    onAdded: true,
    why: 'remote debugging is on: a debugger endpoint is open on the app',
    match: (c) => endsWith(c.path, 'remoteDebuggingEnabled') && c.after === true,
  },
  {
    id: 'registry-admin-user',
    severity: 'high',
    onAdded: true,
    why: 'the registry admin user (a shared password with push rights) is enabled',
    match: (c) => endsWith(c.path, 'adminUserEnabled') && c.after === true,
  },
  {
    id: 'registry-anonymous-pull',
    severity: 'high',
    onAdded: true,
    why: 'anyone can pull images from the registry without signing in',
    match: (c) => endsWith(c.path, 'anonymousPullEnabled') && c.after === true,
  },
  {
    id: 'aks-local-accounts',
    severity: 'high',
    why: 'AKS local accounts are enabled: cluster-admin credentials that bypass Entra ID',
    match: (c) => endsWith(c.path, 'disableLocalAccounts') && c.before === true && c.after !== true,
  },
  {
    id: 'ftp-allowed',
    severity: 'high',
    onAdded: true,
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
    id: 'log-retention-lowered',
    severity: 'medium',
    why: 'log retention was shortened: evidence is kept for less time',
    match(c) {
      if (!/(retentionDays|retentionInDays|retentionPolicy\.days)$/.test(c.path)) return false;
      return typeof c.before === 'number' &&
        typeof c.after === 'number' &&
        c.after < c.before &&
        c.before > 0
        ? `log retention shortened from ${c.before} to ${c.after} days`
        : false;
    },
  },
  {
    id: 'http-logging-off',
    severity: 'medium',
    why: 'web server logging was turned off',
    match: (c) => endsWith(c.path, 'httpLoggingEnabled') && c.before === true && c.after === false,
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
  removedLogging: {
    id: 'logging-removed',
    severity: 'high',
    why: 'a diagnostic or audit setting was removed: its logs stopped',
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
