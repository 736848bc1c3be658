import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { DEFAULT_IMPACT_CONFIG } from '../../core/config/sections/impact-config.js';
import { demoSnapshots } from '../../core/demo/demo-snapshots.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { addBlastRadius } from '../../core/impact/add-blast-radius.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';

const clock = fixedClock('2026-11-21T10:00:00Z');
const SUB = '/subscriptions/s/resourceGroups/rg/providers';
const snap = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});

/** A route table whose change scores medium, in front of a subnet holding an exposed VM. */
function routedEstate(nextHop: string): ArmResource[] {
  return [
    {
      id: `${SUB}/Microsoft.Network/routeTables/rt-web`,
      name: 'rt-web',
      type: 'Microsoft.Network/routeTables',
      properties: { disableBgpRoutePropagation: nextHop === 'changed' },
    },
    {
      id: `${SUB}/Microsoft.Network/virtualNetworks/vnet`,
      name: 'vnet',
      type: 'Microsoft.Network/virtualNetworks',
      properties: {
        subnets: [
          {
            name: 'web',
            properties: { routeTable: { id: `${SUB}/Microsoft.Network/routeTables/rt-web` } },
          },
        ],
      },
    },
    {
      id: `${SUB}/Microsoft.Network/networkInterfaces/nic`,
      name: 'nic',
      type: 'Microsoft.Network/networkInterfaces',
      properties: {
        ipConfigurations: [
          {
            properties: {
              subnet: { id: `${SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/web` },
              publicIPAddress: { id: `${SUB}/Microsoft.Network/publicIPAddresses/pip` },
            },
          },
        ],
      },
    },
    {
      id: `${SUB}/Microsoft.Compute/virtualMachines/vm-edge`,
      name: 'vm-edge',
      type: 'Microsoft.Compute/virtualMachines',
      properties: {
        networkProfile: {
          networkInterfaces: [{ id: `${SUB}/Microsoft.Network/networkInterfaces/nic` }],
        },
      },
    },
    {
      id: `${SUB}/Microsoft.Network/publicIPAddresses/pip`,
      name: 'pip',
      type: 'Microsoft.Network/publicIPAddresses',
    },
  ];
}

describe('addBlastRadius', () => {
  it('names the VMs the demo SSH finding exposes', () => {
    const { baseline, current } = demoSnapshots();
    const report = compareSnapshots(baseline, current, { clock });

    const out = addBlastRadius(report, { current, baseline });

    const ssh = out.findings.find((f) => f.resourceName === 'nsg-web-prod');
    expect(
      ssh?.impact?.radius.filter((e) => e.type.endsWith('virtualMachines')).map((e) => e.name),
    ).toEqual(['vm-api-01', 'vm-api-02']);
    expect([ssh?.impact?.internetFacing, ssh?.impact?.production]).toEqual([1, 2]);
    expect(ssh?.severity).toBe('critical');
    expect(ssh?.impact?.raisedBy).toBeUndefined();
  });

  it('raises a medium finding whose radius is internet-facing, records the rule and recounts the summary', () => {
    const report = compareSnapshots(snap(routedEstate('same')), snap(routedEstate('changed')), {
      clock,
    });
    expect(report.findings.map((f) => [f.resourceName, f.severity])).toEqual([
      ['rt-web', 'medium'],
    ]);

    const out = addBlastRadius(report, { current: snap(routedEstate('changed')) });

    expect(out.findings[0]?.severity).toBe('high');
    expect(out.findings[0]?.impact?.raisedBy).toEqual({
      rule: 'radius-internet-facing',
      from: 'medium',
      to: 'high',
      why: 'its blast radius holds 1 internet-facing resource',
    });
    expect([
      out.summary.bySeverity.medium,
      out.summary.bySeverity.high,
      out.summary.maxSeverity,
    ]).toEqual([0, 1, 'high']);
    expect(out.summary.suppressed).toEqual(report.summary.suppressed);
  });

  it('never lowers a severity, and raises nothing when raiseSeverity is off', () => {
    const report = compareSnapshots(snap(routedEstate('same')), snap(routedEstate('changed')), {
      clock,
    });

    const out = addBlastRadius(report, {
      current: snap(routedEstate('changed')),
      config: { ...DEFAULT_IMPACT_CONFIG, raiseSeverity: false },
    });

    expect(out.findings[0]?.severity).toBe('medium');
    expect(out.findings[0]?.impact?.internetFacing).toBe(1);
    expect(out.summary).toEqual(report.summary);
  });

  it('looks up a removed resource in the baseline: what it used to serve', () => {
    const before = routedEstate('same');
    const after = before.filter((r) => r.name !== 'rt-web');

    const out = addBlastRadius(compareSnapshots(snap(before), snap(after), { clock }), {
      current: snap(after),
      baseline: snap(before),
    });

    expect(
      out.findings.find((f) => f.change === 'removed')?.impact?.radius.map((e) => e.name),
    ).toEqual(['vnet/web', 'nic', 'vm-edge']);
  });

  it('returns the report as it is when impact is disabled', () => {
    const { baseline, current } = demoSnapshots();
    const report = compareSnapshots(baseline, current, { clock });

    expect(
      addBlastRadius(report, { current, config: { ...DEFAULT_IMPACT_CONFIG, enabled: false } }),
    ).toBe(report);
  });
});
