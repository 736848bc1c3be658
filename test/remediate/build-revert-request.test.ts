import { describe, expect, it } from 'vitest';
import { PermissionError } from '../../core/errors.js';
import type { Change, Finding } from '../../core/model/report.js';
import type { ArmResource } from '../../core/model/resource.js';
import { buildRevertRequest } from '../../core/remediate/build-revert-request.js';

const RG = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers';
const change = (
  path: string,
  before: unknown,
  after: unknown,
  extra: Partial<Change> = {},
): Change => ({
  path,
  before,
  after,
  severity: 'high',
  rule: 'r',
  why: 'w',
  ...extra,
});
const finding = (
  resourceId: string,
  resourceType: string,
  changes: Change[],
  kind: Finding['change'] = 'modified',
): Finding => ({
  resourceId,
  resourceType,
  resourceName: resourceId.split('/').pop() as string,
  change: kind,
  severity: 'high',
  fingerprint: 'f00dfeedf00dfeed',
  rule: 'r',
  why: 'w',
  changes,
});
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PermissionError);
    return error as PermissionError;
  }
  throw new Error('expected a refusal');
};

describe('buildRevertRequest', () => {
  const vm = `${RG}/Microsoft.Compute/virtualMachines/vm1`;
  const vmBaseline: ArmResource = {
    id: vm,
    type: 'Microsoft.Compute/virtualMachines',
    properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' } },
  };
  const vmNow: ArmResource = {
    ...vmBaseline,
    properties: { hardwareProfile: { vmSize: 'Standard_D16s_v5' }, priority: 'Spot' },
  };

  it('PATCHes only the drifted properties of a patchable type, null for one the baseline did not have', () => {
    const request = buildRevertRequest({
      finding: finding(vm, 'Microsoft.Compute/virtualMachines', [
        change('properties.hardwareProfile.vmSize', 'Standard_D2s_v5', 'Standard_D16s_v5'),
        change('properties.priority', undefined, 'Spot'),
      ]),
      baseline: vmBaseline,
      current: vmNow,
      apiVersion: '2024-07-01',
      etag: 'W/"7"',
    });

    expect(request).toEqual({
      resourceId: vm,
      method: 'PATCH',
      url: `${vm}?api-version=2024-07-01`,
      apiVersion: '2024-07-01',
      ifMatch: 'W/"7"',
      body: { properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' }, priority: null } },
      omitted: [],
    });
  });

  it('PUTs the whole body of other types, restoring a keyed array element as the whole array and leaving read-only fields out', () => {
    const nsg = `${RG}/Microsoft.Network/networkSecurityGroups/nsg`;
    const rule = (name: string, port: string) => ({
      name,
      properties: { access: 'Allow', destinationPortRange: port },
    });
    const baseline: ArmResource = {
      id: nsg,
      name: 'nsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westeurope',
      properties: { securityRules: [rule('https', '443')] },
    };
    const current: ArmResource = {
      ...baseline,
      etag: 'W/"2"',
      properties: {
        provisioningState: 'Succeeded',
        securityRules: [rule('https', '443'), rule('ssh', '22')],
      },
    };

    const request = buildRevertRequest({
      finding: finding(nsg, 'Microsoft.Network/networkSecurityGroups', [
        change('properties.securityRules[ssh]', undefined, rule('ssh', '22')),
      ]),
      baseline,
      current,
      apiVersion: '2024-05-01',
    });

    expect(request.method).toBe('PUT');
    expect(request.body).toEqual({
      location: 'westeurope',
      properties: { securityRules: [rule('https', '443')] },
    });
    expect(request.omitted).toEqual(['properties.provisioningState']);
    expect(request).not.toHaveProperty('ifMatch');
  });

  it.each([
    [
      'an added resource',
      finding(vm, 'Microsoft.Compute/virtualMachines', [], 'added'),
      'revert handles modified resources only; this one is added',
    ],
    [
      'a secret change',
      finding(vm, 'Microsoft.Compute/virtualMachines', [
        change('properties.osProfile.adminPassword', 'a', 'b', { secret: true }),
      ]),
      'properties.osProfile.adminPassword holds a secret',
    ],
    [
      'a top-level field the generic API does not write',
      finding(vm, 'Microsoft.Compute/virtualMachines', [change('zones', ['1'], ['2'])]),
      'zones cannot be written through the generic resources API',
    ],
  ])('refuses %s, saying why', (_name, f, why) => {
    const error = refusal(() =>
      buildRevertRequest({
        finding: f,
        baseline: vmBaseline,
        current: vmNow,
        apiVersion: '2024-07-01',
      }),
    );
    expect(error.code).toBe('remediation.cannot-revert');
    expect(error.message).toContain(why);
  });

  it('refuses a PUT that would have to resend a secret driftwatch never keeps', () => {
    const aci = `${RG}/Microsoft.ContainerInstance/containerGroups/web`;
    const body = (cpu: number): ArmResource => ({
      id: aci,
      type: 'Microsoft.ContainerInstance/containerGroups',
      properties: {
        containers: [
          {
            name: 'web',
            properties: {
              resources: { cpu },
              environmentVariables: [{ name: 'DB', secureValue: '[[secret]]' }],
            },
          },
        ],
      },
    });

    const error = refusal(() =>
      buildRevertRequest({
        finding: finding(aci, 'Microsoft.ContainerInstance/containerGroups', [
          change('properties.osType', 'Linux', 'Windows'),
        ]),
        baseline: body(1),
        current: body(2),
        apiVersion: '2023-05-01',
      }),
    );

    expect(error.message).toBe(
      `cannot revert ${aci}: Microsoft.ContainerInstance/containerGroups is written with a PUT of the whole resource, which would have to resend its secret properties.containers[].properties.environmentVariables[].secureValue; driftwatch never sends secrets, so revert it by hand`,
    );
  });

  it('refuses a body holding a value the sanitiser takes for a secret, even outside the secret catalogue', () => {
    const nsg = `${RG}/Microsoft.Network/networkSecurityGroups/nsg`;
    const body = (priority: number): ArmResource => ({
      id: nsg,
      type: 'Microsoft.Network/networkSecurityGroups',
      tags: { note: 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc123==;' },
      properties: { priority },
    });

    const error = refusal(() =>
      buildRevertRequest({
        finding: finding(nsg, 'Microsoft.Network/networkSecurityGroups', [
          change('properties.priority', 1, 2),
        ]),
        baseline: body(1),
        current: body(2),
        apiVersion: '2024-05-01',
      }),
    );

    expect(error.message).toBe(
      `cannot revert ${nsg}: the request body would carry a value that looks like a secret (a key, token or connection string); driftwatch never sends or stores secrets, so revert it by hand`,
    );
  });
});
