/**
 * Protection of data and evidence: transport encryption and TLS, encryption at rest and its keys,
 * recovery (soft delete, purge protection), and logging (auditing, diagnostic settings,
 * retention), which an attacker turns off first.
 */
import type { SeverityRule } from '../severity-rules.js';
import { endsWith, isSet, lower } from './rule-helpers.js';

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

export const PROTECTION_RULES: readonly SeverityRule[] = [
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
];
