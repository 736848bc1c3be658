import { describe, expect, it } from 'vitest';
import {
  describeCost,
  describeCostSummary,
  describeImpact,
  formatMoney,
} from '../../core/impact/describe-impact.js';
import type { Finding, FindingImpact, RadiusEntry, Report } from '../../core/model/report.js';

const vm = (name: string, flags: Partial<RadiusEntry> = {}): RadiusEntry => ({
  id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${name}`,
  name,
  type: 'Microsoft.Compute/virtualMachines',
  hops: 3,
  via: 'properties.networkProfile.networkInterfaces[].id',
  ...flags,
});
const subnet: RadiusEntry = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/web',
  name: 'v/web',
  type: 'Microsoft.Network/virtualNetworks/subnets',
  hops: 1,
  via: 'properties.networkSecurityGroup.id',
};
const finding = (type: string, extra: Partial<Finding> = {}): Finding => ({
  resourceId: `/subscriptions/s/resourceGroups/rg/providers/${type}/x`,
  resourceType: type,
  resourceName: 'x',
  change: 'modified',
  severity: 'high',
  fingerprint: 'f'.repeat(64),
  rule: 'r',
  why: 'w',
  changes: [],
  ...extra,
});
const impact = (radius: RadiusEntry[], extra: Partial<FindingImpact> = {}): FindingImpact => ({
  radius,
  internetFacing: radius.filter((e) => e.internetFacing).length,
  production: radius.filter((e) => e.production).length,
  ...extra,
});
const NSG = 'Microsoft.Network/networkSecurityGroups';

describe('describeImpact', () => {
  it('names the workloads an NSG guards, with how many are internet-facing', () => {
    const f = finding(NSG, {
      impact: impact([
        subnet,
        vm('vm-api-01', { internetFacing: true }),
        vm('vm-api-02', { internetFacing: true }),
        vm('vm-web-01'),
      ]),
    });

    expect(describeImpact(f)).toBe(
      'guards 3 VMs: vm-api-01, vm-api-02, vm-web-01 · 2 internet-facing',
    );
  });

  it('lists every resource when the radius holds no workload, and says an empty NSG guards nothing', () => {
    expect(describeImpact(finding(NSG, { impact: impact([subnet]) }))).toBe(
      'guards 1 subnet: v/web',
    );
    expect(describeImpact(finding(NSG, { impact: impact([]) }))).toBe(
      'guards nothing in this snapshot',
    );
  });

  it('says nothing for a resource nothing depends on, unless it is itself internet-facing', () => {
    expect(
      describeImpact(finding('Microsoft.Storage/storageAccounts', { impact: impact([]) })),
    ).toBeUndefined();
    expect(
      describeImpact(
        finding('Microsoft.Network/publicIPAddresses', {
          impact: impact([], { selfInternetFacing: true }),
        }),
      ),
    ).toBe('fronts nothing in this snapshot · itself internet-facing');
  });

  it('shows five names, counts the rest, and tells a raise', () => {
    const radius = Array.from({ length: 7 }, (_, i) => vm(`vm-${i}`, { production: true }));
    const f = finding(NSG, {
      impact: impact(radius, {
        raisedBy: { rule: 'radius-production', from: 'medium', to: 'high', why: '…' },
      }),
    });

    expect(describeImpact(f)).toBe(
      'guards 7 VMs: vm-0, vm-1, vm-2, vm-3, vm-4 and 2 more · 7 production · raised from medium (radius-production)',
    );
  });

  it('escapes control characters in names from Azure', () => {
    const f = finding(NSG, { impact: impact([vm('vm\u001b[2Jevil')]) });

    expect(describeImpact(f)).toBe('guards 1 VM: vm\\u001b[2Jevil');
  });
});

describe('describeCost', () => {
  it.each<[Finding['cost'], string]>([
    [
      {
        status: 'priced',
        currency: 'USD',
        monthlyDelta: 438,
        what: 'Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope)',
      },
      '+$438/month at list price (Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope))',
    ],
    [
      {
        status: 'priced',
        currency: 'EUR',
        monthlyDelta: -3.65,
        what: 'Standard static IPv4 (westeurope)',
      },
      '-€3.65/month at list price (Standard static IPv4 (westeurope))',
    ],
    [
      {
        status: 'unknown',
        currency: 'USD',
        what: 'Standard_NC4 (Linux, westeurope)',
        reason: 'no list price found for Standard_NC4 (Linux, westeurope)',
      },
      'cost unknown: no list price found for Standard_NC4 (Linux, westeurope) (Standard_NC4 (Linux, westeurope))',
    ],
    [
      {
        status: 'per-unit',
        currency: 'USD',
        unitDelta: 0.02,
        unit: '1 GB/Month',
        what: 'Hot LRS → Hot GRS (westeurope)',
      },
      '+$0.02 per 1 GB/Month at list price (Hot LRS → Hot GRS (westeurope); amount used not known)',
    ],
  ])('%j reads %s', (cost, line) => {
    expect(describeCost(finding('x/y', { cost }))).toBe(line);
  });
});

describe('describeCostSummary', () => {
  const report = (cost: NonNullable<Report['summary']['cost']> | undefined) =>
    ({ summary: { ...(cost ? { cost } : {}) } }) as Report;
  const basis = 'list price';

  it.each<[NonNullable<Report['summary']['cost']>, string]>([
    [
      { currency: 'USD', monthlyDelta: 1180, priced: 3, unpriced: 2, perUnit: 0, basis },
      'this drift adds about $1,180/month at list price; 2 changes unpriced (no reservations, savings plans or negotiated prices)',
    ],
    [
      { currency: 'USD', monthlyDelta: -40.5, priced: 1, unpriced: 0, perUnit: 1, basis },
      'this drift saves about $40.50/month at list price; 1 priced per unit of use, not summed (no reservations, savings plans or negotiated prices)',
    ],
    [
      { currency: 'USD', monthlyDelta: 0, priced: 0, unpriced: 1, perUnit: 0, basis },
      'no monthly cost change could be priced; 1 change unpriced (no reservations, savings plans or negotiated prices)',
    ],
  ])('%j', (cost, line) => {
    expect(describeCostSummary(report(cost))).toBe(line);
  });

  it('says nothing when the report carries no cost', () => {
    expect(describeCostSummary(report(undefined))).toBeUndefined();
  });
});

describe('formatMoney', () => {
  it.each([
    [1180.4, 'USD', '$1,180'],
    [3.65, 'USD', '$3.65'],
    [-12.4, 'GBP', '-£12.40'],
  ])('%d %s → %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });
});
