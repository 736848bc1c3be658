/**
 * Identity and access: grants are how an attacker gets in and stays in. Key Vault access
 * policies, role assignments, and the management-plane doors (debugger, shared admin users,
 * anonymous pulls, local accounts, plain FTP, key-based auth).
 */
import type { SeverityRule } from '../severity-rules.js';
import { endsWith, lower } from './rule-helpers.js';

/** Role definition GUIDs of Owner, Contributor and User Access Administrator (built-in roles). */
const PRIVILEGED_ROLES = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
];

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

export const ACCESS_RULES: readonly SeverityRule[] = [
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
];
