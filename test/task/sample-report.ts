import type { Finding, Report } from '../../core/model/report.js';

const NSG =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/nsg-web-prod';
const STORAGE =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stprodlogs01';
const SITE_CONFIG =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-web/config/web';

/** Three findings as the engine reports them: a critical modification, an added resource, an unknown one. */
export const SAMPLE_FINDINGS: Finding[] = [
  {
    resourceId: NSG,
    resourceType: 'Microsoft.Network/networkSecurityGroups',
    resourceName: 'nsg-web-prod',
    change: 'modified',
    severity: 'critical',
    fingerprint: 'fp-nsg',
    rule: 'nsg-mgmt-port-open-to-any',
    why: 'SSH reachable from anywhere',
    changes: [
      {
        path: 'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
        before: '10.10.0.4/32',
        after: '*',
        severity: 'critical',
        rule: 'nsg-mgmt-port-open-to-any',
        why: 'SSH reachable from anywhere',
      },
      {
        path: 'tags.owner',
        before: 'web-team',
        after: '<ops & "infra">',
        severity: 'low',
        rule: 'tag-changed',
        why: 'a tag changed',
      },
    ],
    attribution: { kind: 'actor', summary: 'ops-user@contoso.com via Azure Portal' },
  },
  {
    resourceId: STORAGE,
    resourceType: 'Microsoft.Storage/storageAccounts',
    resourceName: 'stprodlogs01',
    change: 'added',
    severity: 'medium',
    fingerprint: 'fp-st',
    rule: 'resource-added',
    why: 'a resource appeared outside a deployment',
    changes: [],
  },
  {
    resourceId: SITE_CONFIG,
    resourceType: 'Microsoft.Web/sites/config',
    resourceName: 'web',
    change: 'unknown',
    severity: 'info',
    fingerprint: 'fp-cfg',
    rule: 'resource-unknown',
    why: 'could not be read',
    reason: '403 AuthorizationFailed',
    changes: [],
  },
];

/** A report over {@link SAMPLE_FINDINGS} (or the findings given). */
export function sampleReport(findings: Finding[] = SAMPLE_FINDINGS, complete = true): Report {
  const count = (k: Finding['change']) => findings.filter((f) => f.change === k).length;
  const sev = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: 1,
    generatedAt: '2026-11-21T09:30:00.000Z',
    scope: 'prod',
    baseline: { resources: 1214, complete: true, label: 'pipeline run 4411' },
    current: { resources: 1215, complete },
    complete,
    summary: {
      findings: findings.length,
      byChange: {
        added: count('added'),
        removed: count('removed'),
        modified: count('modified'),
        unknown: count('unknown'),
      },
      bySeverity: {
        critical: sev('critical'),
        high: sev('high'),
        medium: sev('medium'),
        low: sev('low'),
        info: sev('info'),
      },
      maxSeverity: findings[0]?.severity ?? null,
      suppressed: { total: 3912, byRule: { etag: 3912 } },
      accepted: 0,
    },
    findings,
  };
}
