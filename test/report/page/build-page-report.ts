import type { Finding, Report } from '../../../core/model/report.js';
import { SEVERITIES, type Severity } from '../../../core/model/severity.js';

const sub = '/subscriptions/00000000-0000-0000-0000-000000000001';
const TYPES = [
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Web/sites',
  'Microsoft.KeyVault/vaults',
] as const;

/** A tag value written to break out of HTML: every place it lands must show it as text. */
export const HOSTILE_TAG = `"><img src=x onerror=alert(1)><script>window.__pwned=1</script>`;
export const HOSTILE_URL = 'javascript:alert(document.cookie)';

/**
 * A report with `count` findings across 5 resource groups and types, severities cycling, one
 * unknown per 50, impact on every NSG (3 resources: subnet → NIC → VM), and attribution with a
 * pipeline link on every other finding. `hostile` puts {@link HOSTILE_TAG} in the first
 * finding's resource name, tag value, actor and reason, and {@link HOSTILE_URL} as its run link.
 */
export function buildPageReport(
  options: {
    count: number;
    generatedAt?: string;
    scope?: string;
    hostile?: boolean;
    seed?: number;
  } = {
    count: 10,
  },
): Report {
  const findings: Finding[] = [];
  const seed = options.seed ?? 0;
  for (let i = 0; i < options.count; i++) {
    const type = TYPES[i % TYPES.length] as string;
    const rg = `rg-app-${i % 5}`;
    const name = `res-${String(i).padStart(5, '0')}`;
    const id = `${sub}/resourceGroups/${rg}/providers/${type}/${name}`;
    const severity = SEVERITIES[i % 4] as Severity;
    const unknown = i % 50 === 49;
    const f: Finding = {
      resourceId: id,
      resourceType: type,
      resourceName: name,
      change: unknown ? 'unknown' : i % 7 === 3 ? 'added' : 'modified',
      severity: unknown ? 'info' : severity,
      fingerprint: `fp${String(i + seed).padStart(14, '0')}`,
      rule: 'tag-changed',
      why: 'a tag changed',
      changes: [],
    };
    if (unknown) f.reason = '403 on Microsoft.Web/sites/config';
    else if (f.change === 'modified') {
      f.changes = [
        {
          path: 'tags.owner',
          before: 'team-a',
          after: `team-${i % 9}`,
          severity,
          rule: 'tag-changed',
          why: 'a tag changed',
        },
        {
          path: 'properties.networkAcls',
          before: { defaultAction: 'Deny', ipRules: [{ value: '10.0.0.1' }] },
          after: { defaultAction: 'Allow', ipRules: [] },
          severity,
          rule: 'network-open',
          why: 'network access widened',
        },
      ];
    }
    if (i % 2 === 0) {
      f.attribution = {
        kind: 'deployment',
        summary: `pipeline "api-deploy" run ${4400 + i}`,
        run: {
          pipeline: 'api-deploy',
          id: String(4400 + i),
          url: `https://dev.azure.com/contoso/app/_build/results?buildId=${4400 + i}`,
        },
      };
    }
    if (type === 'Microsoft.Network/networkSecurityGroups' && !unknown) {
      const net = `${sub}/resourceGroups/${rg}/providers/Microsoft.Network`;
      const subnet = `${net}/virtualNetworks/vnet-${i}/subnets/snet-${i}`;
      const nic = `${net}/networkInterfaces/nic-${i}`;
      f.impact = {
        radius: [
          {
            id: subnet,
            name: `vnet-${i}/snet-${i}`,
            type: 'Microsoft.Network/virtualNetworks/subnets',
            hops: 1,
            via: 'properties.networkSecurityGroup.id',
            from: id,
          },
          {
            id: nic,
            name: `nic-${i}`,
            type: 'Microsoft.Network/networkInterfaces',
            hops: 2,
            via: 'properties.ipConfigurations[].properties.subnet.id',
            from: subnet,
          },
          {
            id: `${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/vm-${i}`,
            name: `vm-${i}`,
            type: 'Microsoft.Compute/virtualMachines',
            hops: 3,
            via: 'properties.networkProfile.networkInterfaces[].id',
            from: nic,
            internetFacing: true,
          },
        ],
        internetFacing: 1,
        production: 0,
      };
    }
    findings.push(f);
  }
  const first = findings[0];
  if (options.hostile && first) {
    first.resourceName = `vm${HOSTILE_TAG}`;
    first.change = 'modified';
    first.changes = [
      {
        path: 'tags.note',
        before: 'ok',
        after: HOSTILE_TAG,
        severity: 'low',
        rule: 'tag-changed',
        why: `tag ${HOSTILE_TAG}`,
      },
    ];
    first.attribution = {
      kind: 'deployment',
      summary: `deployed by ${HOSTILE_TAG}`,
      actor: HOSTILE_TAG,
      run: { pipeline: HOSTILE_TAG, id: '1', url: HOSTILE_URL },
    };
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byChange = { added: 0, removed: 0, modified: 0, unknown: 0 };
  for (const f of findings) {
    byChange[f.change] += 1;
    if (f.change !== 'unknown') bySeverity[f.severity] += 1;
  }
  return {
    schemaVersion: 2,
    generatedAt: options.generatedAt ?? '2026-11-27T09:00:00.000Z',
    scope: options.scope ?? 'prod',
    baseline: {
      resources: options.count * 2,
      complete: true,
      collectedAt: '2026-11-20T18:02:00Z',
      label: 'pipeline run 4411',
    },
    current: { resources: options.count * 2, complete: byChange.unknown === 0 },
    complete: byChange.unknown === 0,
    summary: {
      findings: findings.length,
      byChange,
      bySeverity,
      maxSeverity: findings.length ? 'critical' : null,
      suppressed: { total: 12, byRule: {} },
      accepted: 0,
    },
    findings,
  };
}
