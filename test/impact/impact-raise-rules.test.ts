import { describe, expect, it } from 'vitest';
import { raiseFor } from '../../core/impact/impact-raise-rules.js';
import type { FindingImpact, RadiusEntry } from '../../core/model/report.js';
import { SEVERITIES, type Severity, severityRank } from '../../core/model/severity.js';

const entry = (flags: Partial<RadiusEntry>): RadiusEntry => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm',
  name: 'vm',
  type: 'Microsoft.Compute/virtualMachines',
  hops: 3,
  via: 'properties.networkProfile.networkInterfaces[].id',
  ...flags,
});
const impactOf = (...radius: RadiusEntry[]): FindingImpact => ({
  radius,
  internetFacing: radius.filter((e) => e.internetFacing).length,
  production: radius.filter((e) => e.production).length,
});
const exposedProd = impactOf(entry({ internetFacing: true, production: true }));
const exposed = impactOf(entry({ internetFacing: true }));
const prod = impactOf(entry({ production: true }));
const quiet = impactOf(entry({}));

describe('raiseFor', () => {
  it.each<[Severity, FindingImpact, string | undefined, Severity | undefined]>([
    ['high', exposedProd, 'radius-exposed-production', 'critical'],
    ['high', exposed, undefined, undefined],
    ['medium', exposed, 'radius-internet-facing', 'high'],
    ['medium', prod, 'radius-production', 'high'],
    ['low', prod, 'radius-exposed-or-production', 'medium'],
    ['low', quiet, undefined, undefined],
    ['info', exposedProd, undefined, undefined],
    ['critical', exposedProd, undefined, undefined],
  ])('%s with this radius → rule %s, severity %s', (severity, impact, rule, to) => {
    const raise = raiseFor(severity, impact);

    expect([raise?.rule, raise?.to]).toEqual([rule, to]);
  });

  it('never lowers and never goes above critical, whatever the radius', () => {
    for (const severity of SEVERITIES) {
      for (const impact of [exposedProd, exposed, prod, quiet]) {
        const raise = raiseFor(severity, impact);
        if (!raise) continue;
        expect(severityRank(raise.to)).toBe(severityRank(severity) + 1);
        expect(raise.from).toBe(severity);
      }
    }
  });

  it('says why in words a person reads', () => {
    expect(
      raiseFor(
        'medium',
        impactOf(entry({ internetFacing: true }), entry({ internetFacing: true })),
      ),
    ).toEqual({
      rule: 'radius-internet-facing',
      from: 'medium',
      to: 'high',
      why: 'its blast radius holds 2 internet-facing resources',
    });
  });
});
