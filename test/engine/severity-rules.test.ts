import { describe, expect, it } from 'vitest';
import { buildEngineRules } from '../../core/engine/engine-rules.js';
import type { ArmResource } from '../../core/model/resource.js';

const NSG =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-web';
const rules = buildEngineRules({ config: { ignore: [], severity: { rules: [], overrides: {} } } });

function nsgWith(rule: Record<string, unknown>): ArmResource {
  return {
    id: NSG,
    type: 'Microsoft.Network/networkSecurityGroups',
    properties: { securityRules: [{ name: 'allow-ssh', properties: rule }] },
  };
}
const sshRule = {
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  destinationPortRange: '22',
  sourceAddressPrefix: '10.10.0.4/32',
};

function score(
  path: string,
  before: unknown,
  after: unknown,
  resourceType = 'microsoft.storage/storageaccounts',
  resources: [ArmResource?, ArmResource?] = [],
) {
  return rules.scoreChange({
    resourceType,
    path,
    before,
    after,
    beforeResource: resources[0],
    afterResource: resources[1],
  });
}

describe('built-in severity rules', () => {
  it.each([
    ['properties.allowBlobPublicAccess', false, true, 'high', 'storage-public-blob-access'],
    ['properties.supportsHttpsTrafficOnly', true, false, 'high', 'storage-http-allowed'],
    ['properties.minimumTlsVersion', 'TLS1_2', 'TLS1_0', 'high', 'tls-lowered'],
    ['properties.minimumTlsVersion', 'TLS1_0', 'TLS1_2', 'medium', 'property-changed'],
    ['properties.networkAcls.defaultAction', 'Deny', 'Allow', 'high', 'firewall-default-allow'],
    [
      'properties.publicNetworkAccess',
      'Disabled',
      'Enabled',
      'high',
      'public-network-access-enabled',
    ],
    ['properties.enablePurgeProtection', true, undefined, 'high', 'purge-protection-off'],
    ['properties.enableSoftDelete', true, false, 'high', 'soft-delete-off'],
    ['properties.httpsOnly', true, false, 'high', 'https-only-off'],
    ['properties.siteConfig.ftpsState', 'Disabled', 'AllAllowed', 'high', 'ftp-allowed'],
    ['properties.siteConfig.minTlsVersion', '1.2', '1.0', 'high', 'tls-lowered'],
    ['properties.allowSharedKeyAccess', false, true, 'medium', 'local-auth-enabled'],
    [
      'properties.hardwareProfile.vmSize',
      'Standard_D4s_v5',
      'Standard_D16s_v5',
      'medium',
      'vm-size-changed',
    ],
    ['sku.name', 'Standard_LRS', 'Premium_LRS', 'medium', 'sku-changed'],
    ['identity.type', 'SystemAssigned', 'None', 'medium', 'identity-changed'],
    ['tags.env', 'prod', 'Prod', 'low', 'tag-changed'],
    ['properties.anything', 1, 2, 'medium', 'property-changed'],
  ])('%s %j → %j scores %s (%s)', (path, before, after, severity, rule) => {
    expect(score(path, before, after)).toMatchObject({ severity, rule });
  });

  it.each([
    [
      'sourceAddressPrefix',
      '*',
      'critical',
      'nsg-mgmt-port-open-to-any',
      'SSH (22) reachable from any source',
    ],
    [
      'sourceAddressPrefix',
      'Internet',
      'critical',
      'nsg-mgmt-port-open-to-any',
      'SSH (22) reachable from any source',
    ],
    [
      'sourceAddressPrefix',
      '0.0.0.0/0',
      'critical',
      'nsg-mgmt-port-open-to-any',
      'SSH (22) reachable from any source',
    ],
    [
      'sourceAddressPrefix',
      '10.10.0.5/32',
      'medium',
      'nsg-rule-changed',
      'a network security rule changed',
    ],
  ])('NSG rule %s → %s scores %s', (field, value, severity, rule, why) => {
    const path = `properties.securityRules[allow-ssh].properties.${field}`;
    const result = score(
      path,
      sshRule.sourceAddressPrefix,
      value,
      'microsoft.network/networksecuritygroups',
      [nsgWith(sshRule), nsgWith({ ...sshRule, [field]: value })],
    );
    expect(result).toEqual({ severity, rule, why });
  });

  it('scores a port range covering RDP opened to any source as critical', () => {
    const after = { ...sshRule, destinationPortRange: '3000-4000', sourceAddressPrefix: '*' };
    const result = score(
      'properties.securityRules[allow-ssh].properties.destinationPortRange',
      '22',
      '3000-4000',
      'microsoft.network/networksecuritygroups',
      [nsgWith(sshRule), nsgWith(after)],
    );
    expect(result).toEqual({
      severity: 'critical',
      rule: 'nsg-mgmt-port-open-to-any',
      why: 'RDP (3389) reachable from any source',
    });
  });

  it('scores a non-management port opened to any source as high', () => {
    const before = { ...sshRule, destinationPortRange: '8080' };
    const after = { ...before, sourceAddressPrefix: '*' };
    const result = score(
      'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
      '10.10.0.4/32',
      '*',
      'microsoft.network/networksecuritygroups',
      [nsgWith(before), nsgWith(after)],
    );
    expect(result).toMatchObject({ severity: 'high', rule: 'nsg-inbound-open-to-any' });
  });

  it('scores a standalone securityRules child resource like an embedded rule', () => {
    const id = `${NSG}/securityRules/allow-rdp`;
    const type = 'Microsoft.Network/networkSecurityGroups/securityRules';
    const before: ArmResource = {
      id,
      type,
      properties: { ...sshRule, destinationPortRange: '3389' },
    };
    const after: ArmResource = {
      id,
      type,
      properties: { ...sshRule, destinationPortRange: '3389', sourceAddressPrefix: 'Internet' },
    };
    expect(
      score('properties.sourceAddressPrefix', '10.10.0.4/32', 'Internet', type.toLowerCase(), [
        before,
        after,
      ]),
    ).toMatchObject({ severity: 'critical', rule: 'nsg-mgmt-port-open-to-any' });
  });
});

describe('user severity rules and overrides', () => {
  it('lets a user rule score ahead of the built-ins', () => {
    const custom = buildEngineRules({
      config: {
        ignore: [],
        severity: {
          rules: [
            {
              id: 'cost-tag',
              path: 'tags.costcenter',
              severity: 'high',
              why: 'finance reports by cost center',
            },
          ],
          overrides: {},
        },
      },
    });
    expect(
      custom.scoreChange({
        resourceType: 'x/y',
        path: 'tags.costCenter',
        before: '1',
        after: '2',
        beforeResource: undefined,
        afterResource: undefined,
      }),
    ).toEqual({
      severity: 'high',
      rule: 'cost-tag',
      why: 'finance reports by cost center',
    });
  });

  it('matches a user rule only for the listed new values', () => {
    const custom = buildEngineRules({
      config: {
        ignore: [],
        severity: {
          rules: [
            {
              id: 'no-premium',
              path: 'sku.name',
              after: ['Premium_LRS'],
              severity: 'critical',
              why: 'budget',
            },
          ],
          overrides: {},
        },
      },
    });
    const base = {
      resourceType: 'x/y',
      path: 'sku.name',
      before: 'a',
      beforeResource: undefined,
      afterResource: undefined,
    };
    expect(custom.scoreChange({ ...base, after: 'Premium_LRS' }).rule).toBe('no-premium');
    expect(custom.scoreChange({ ...base, after: 'Standard_GRS' }).rule).toBe('sku-changed');
  });

  it('overrides a built-in severity, or turns the rule off so the next rule decides', () => {
    const custom = buildEngineRules({
      config: {
        ignore: [],
        severity: { rules: [], overrides: { 'tag-changed': 'info', 'sku-changed': 'off' } },
      },
    });
    const base = {
      resourceType: 'x/y',
      before: 'a',
      after: 'b',
      beforeResource: undefined,
      afterResource: undefined,
    };
    expect(custom.scoreChange({ ...base, path: 'tags.env' })).toMatchObject({
      severity: 'info',
      rule: 'tag-changed',
    });
    expect(custom.scoreChange({ ...base, path: 'sku.name' })).toMatchObject({
      severity: 'medium',
      rule: 'property-changed',
    });
  });
});
