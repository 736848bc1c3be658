import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { buildEngineRules } from '../../core/engine/engine-rules.js';
import { BUILT_IN_SEVERITY_RULES } from '../../core/engine/severity-rules.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers';
const rules = buildEngineRules({ config: { ignore: [], severity: { rules: [], overrides: {} } } });
const snap = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
const compare = (before: ArmResource[], after: ArmResource[]) =>
  compareSnapshots(snap(before), snap(after), { rules });

const nsg = (rule: Record<string, unknown>): ArmResource => ({
  id: `${RG}/Microsoft.Network/networkSecurityGroups/nsg-web`,
  type: 'Microsoft.Network/networkSecurityGroups',
  properties: { securityRules: [{ name: 'inbound-mgmt', properties: rule }] },
});
const inbound = {
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  sourceAddressPrefix: '10.0.0.4/32',
};

describe('severity reads list fields, port ranges and whole added resources', () => {
  it.each([
    [
      'a port range covering SSH opened to any source',
      { ...inbound, destinationPortRange: '20-25' },
      { ...inbound, destinationPortRange: '20-25', sourceAddressPrefix: '*' },
      'SSH (22) reachable from any source',
    ],
    [
      'a port list holding RDP with a source list gaining Internet',
      {
        ...inbound,
        sourceAddressPrefix: '',
        sourceAddressPrefixes: ['10.0.0.0/8'],
        destinationPortRanges: ['443', '3389'],
      },
      {
        ...inbound,
        sourceAddressPrefix: '',
        sourceAddressPrefixes: ['10.0.0.0/8', 'Internet'],
        destinationPortRanges: ['443', '3389'],
      },
      'RDP (3389) reachable from any source',
    ],
    [
      'every port (0-65535) opened to 0.0.0.0/0',
      { ...inbound, destinationPortRange: '0-65535' },
      { ...inbound, destinationPortRange: '0-65535', sourceAddressPrefix: '0.0.0.0/0' },
      'all ports, including SSH and RDP reachable from any source',
    ],
  ])('scores %s critical', (_name, before, after, why) => {
    const [finding] = compare([nsg(before)], [nsg(after)]).findings;
    expect([finding?.severity, finding?.rule, finding?.why]).toEqual([
      'critical',
      'nsg-mgmt-port-open-to-any',
      why,
    ]);
  });

  const storage = (ipRules: unknown[]): ArmResource => ({
    id: `${RG}/Microsoft.Storage/storageAccounts/stprod`,
    type: 'Microsoft.Storage/storageAccounts',
    properties: { networkAcls: { defaultAction: 'Deny', ipRules } },
  });

  it('scores a storage IP rule list gaining 0.0.0.0/0 high', () => {
    const [finding] = compare(
      [storage([{ value: '20.1.2.0/24', action: 'Allow' }])],
      [
        storage([
          { value: '20.1.2.0/24', action: 'Allow' },
          { value: '0.0.0.0/0', action: 'Allow' },
        ]),
      ],
    ).findings;
    expect([finding?.severity, finding?.rule, finding?.changes.map((c) => c.path)]).toEqual([
      'high',
      'address-list-admits-any',
      ['properties.networkAcls.ipRules[value=0.0.0.0/0]'],
    ]);
  });

  it('scores an App Service restriction that now allows Any high, and a Deny of Any not', () => {
    const site = (restrictions: unknown[]): ArmResource => ({
      id: `${RG}/Microsoft.Web/sites/app-web/config/web`,
      type: 'Microsoft.Web/sites/config',
      properties: { ipSecurityRestrictions: restrictions },
    });
    const office = { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' };
    const allowAny = compare(
      [site([office])],
      [site([office, { ipAddress: 'Any', action: 'Allow', priority: 200 }])],
    );
    const denyAny = compare(
      [site([office])],
      [site([office, { ipAddress: 'Any', action: 'Deny', priority: 2147483647 }])],
    );
    expect(allowAny.findings[0]?.rule).toBe('address-list-admits-any');
    expect(denyAny.findings[0]?.rule).toBe('property-changed');
  });

  it('scores an added SQL firewall rule for the whole internet critical, and "Azure services" not', () => {
    const rule = (name: string, start: string, end: string): ArmResource => ({
      id: `${RG}/Microsoft.Sql/servers/sql-prod/firewallRules/${name}`,
      type: 'Microsoft.Sql/servers/firewallRules',
      properties: { startIpAddress: start, endIpAddress: end },
    });
    const report = compare(
      [],
      [
        rule('all', '0.0.0.0', '255.255.255.255'),
        rule('AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0'),
      ],
    );
    expect(report.findings.map((f) => [f.resourceName, f.severity, f.rule])).toEqual([
      ['sql-prod/all', 'critical', 'firewall-rule-admits-internet'],
      ['sql-prod/AllowAllWindowsAzureIps', 'medium', 'resource-added'],
    ]);
  });

  it('scores an added NSG rule child opening RDP critical (by its body, not only its type)', () => {
    const child: ArmResource = {
      id: `${RG}/Microsoft.Network/networkSecurityGroups/nsg-web/securityRules/rdp`,
      type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      properties: { ...inbound, destinationPortRange: '3389', sourceAddressPrefix: 'Internet' },
    };
    const [finding] = compare([], [child]).findings;
    expect([finding?.severity, finding?.rule]).toEqual(['critical', 'nsg-mgmt-port-open-to-any']);
  });

  it('keeps an added resource with harmless settings at the added rule', () => {
    const [finding] = compare([], [storage([])]).findings;
    expect([finding?.severity, finding?.rule]).toEqual(['medium', 'resource-added']);
  });

  it('scores an added Owner role assignment critical', () => {
    const assignment: ArmResource = {
      id: `${RG}/Microsoft.Authorization/roleAssignments/3fa1`,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: {
        principalId: 'p-1',
        roleDefinitionId:
          '/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
      },
    };
    const [finding] = compare([], [assignment]).findings;
    expect([finding?.severity, finding?.rule]).toEqual(['critical', 'role-assignment-privileged']);
  });

  it('names the principal and the permissions a Key Vault access policy gained', () => {
    const vault = (secrets: string[]): ArmResource => ({
      id: `${RG}/Microsoft.KeyVault/vaults/kv-prod`,
      type: 'Microsoft.KeyVault/vaults',
      properties: {
        accessPolicies: [{ tenantId: 't', objectId: 'app-1', permissions: { keys: [], secrets } }],
      },
    });
    const [finding] = compare([vault(['get'])], [vault(['get', 'list', 'set'])]).findings;
    expect([finding?.severity, finding?.rule, finding?.why]).toEqual([
      'high',
      'keyvault-access-widened',
      'objectId=app-1 gained secrets:list, secrets:set',
    ]);
  });

  it('scores a removed diagnostic setting high (its logs stopped)', () => {
    const setting: ArmResource = {
      id: `${RG}/Microsoft.KeyVault/vaults/kv-prod/providers/Microsoft.Insights/diagnosticSettings/to-law`,
      type: 'Microsoft.Insights/diagnosticSettings',
      properties: {
        workspaceId:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law',
      },
    };
    const [finding] = compare([setting], []).findings;
    expect([finding?.severity, finding?.rule]).toEqual(['high', 'logging-removed']);
  });

  it.each([
    [
      'properties.encryption.keySource',
      'Microsoft.Keyvault',
      'Microsoft.Storage',
      'microsoft.storage/storageaccounts',
      'cmk-removed',
    ],
    [
      'properties.encryption.services.blob.enabled',
      true,
      false,
      'microsoft.storage/storageaccounts',
      'encryption-disabled',
    ],
    [
      'properties.securityProfile.encryptionAtHost',
      true,
      false,
      'microsoft.compute/virtualmachines',
      'encryption-disabled',
    ],
    [
      'properties.state',
      'Enabled',
      'Disabled',
      'microsoft.sql/servers/databases/transparentdataencryption',
      'encryption-disabled',
    ],
    [
      'properties.state',
      'Enabled',
      'Disabled',
      'microsoft.sql/servers/auditingsettings',
      'auditing-disabled',
    ],
    [
      'properties.logs[category=AuditEvent].enabled',
      true,
      false,
      'microsoft.insights/diagnosticsettings',
      'diagnostic-logs-disabled',
    ],
    [
      'properties.enableRbacAuthorization',
      true,
      false,
      'microsoft.keyvault/vaults',
      'keyvault-rbac-off',
    ],
    [
      'properties.siteConfig.remoteDebuggingEnabled',
      false,
      true,
      'microsoft.web/sites',
      'remote-debugging-on',
    ],
    [
      'properties.adminUserEnabled',
      false,
      true,
      'microsoft.containerregistry/registries',
      'registry-admin-user',
    ],
    [
      'properties.anonymousPullEnabled',
      false,
      true,
      'microsoft.containerregistry/registries',
      'registry-anonymous-pull',
    ],
    [
      'properties.disableLocalAccounts',
      true,
      false,
      'microsoft.containerservice/managedclusters',
      'aks-local-accounts',
    ],
    [
      'properties.subnets[web].properties.networkSecurityGroup',
      { id: '/x' },
      undefined,
      'microsoft.network/virtualnetworks',
      'nsg-detached',
    ],
    [
      'properties.ipConfigurations[ipconfig1].properties.publicIPAddress',
      undefined,
      { id: '/pip' },
      'microsoft.network/networkinterfaces',
      'public-ip-attached',
    ],
    [
      'properties.apiServerAccessProfile.authorizedIPRanges',
      ['203.0.113.0/24'],
      ['0.0.0.0/0'],
      'microsoft.containerservice/managedclusters',
      'address-list-admits-any',
    ],
    [
      'properties.ipRangeFilter',
      '104.42.195.92',
      '104.42.195.92,0.0.0.0/0',
      'microsoft.documentdb/databaseaccounts',
      'address-list-admits-any',
    ],
    [
      'properties.retentionInDays',
      90,
      7,
      'microsoft.operationalinsights/workspaces',
      'log-retention-lowered',
    ],
    [
      'properties.httpLoggingEnabled',
      true,
      false,
      'microsoft.web/sites/config',
      'http-logging-off',
    ],
  ])('%s %j → %j on %s scores by %s', (path, before, after, resourceType, rule) => {
    const scored = rules.scoreChange({
      resourceType,
      path,
      before,
      after,
      beforeResource: undefined,
      afterResource: undefined,
    });
    expect(scored.rule).toBe(rule);
  });

  it('gives every built-in rule a reason', () => {
    for (const rule of BUILT_IN_SEVERITY_RULES) expect(rule.why.length).toBeGreaterThan(10);
  });
});
