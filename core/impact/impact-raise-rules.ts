import type { FindingImpact, SeverityRaise } from '../model/report.js';
import { type Severity, severityRank } from '../model/severity.js';

/**
 * The documented rules by which a blast radius raises a finding's severity (README, "Impact").
 * Each raises by one step at most, never above critical, and none ever lowers: a rule applies
 * only when its `to` is above the finding's severity. The first that applies wins.
 */
export const IMPACT_RAISE_RULES: ReadonlyArray<{
  id: string;
  from: Severity;
  to: Severity;
  applies: (impact: FindingImpact) => boolean;
  why: (impact: FindingImpact) => string;
}> = [
  {
    id: 'radius-exposed-production',
    from: 'high',
    to: 'critical',
    applies: (i) => i.radius.some((e) => e.internetFacing && e.production),
    why: (i) =>
      `its blast radius holds ${count(i.radius.filter((e) => e.internetFacing && e.production).length, 'internet-facing production resource')}`,
  },
  {
    id: 'radius-internet-facing',
    from: 'medium',
    to: 'high',
    applies: (i) => i.internetFacing > 0,
    why: (i) => `its blast radius holds ${count(i.internetFacing, 'internet-facing resource')}`,
  },
  {
    id: 'radius-production',
    from: 'medium',
    to: 'high',
    applies: (i) => i.production > 0,
    why: (i) => `its blast radius holds ${count(i.production, 'production-tagged resource')}`,
  },
  {
    id: 'radius-exposed-or-production',
    from: 'low',
    to: 'medium',
    applies: (i) => i.internetFacing > 0 || i.production > 0,
    why: (i) =>
      `its blast radius holds ${i.internetFacing} internet-facing and ${i.production} production-tagged resource(s)`,
  },
];

/**
 * The raise a finding's impact earns, if any: the first rule whose `from` is the finding's
 * severity and whose condition holds. `info` findings and severities already at critical are
 * never raised; nothing is ever lowered.
 *
 * @example
 * raiseFor('medium', { radius, internetFacing: 2, production: 0 })
 * // → { rule: 'radius-internet-facing', from: 'medium', to: 'high', why: 'its blast radius holds 2 internet-facing resources' }
 */
export function raiseFor(severity: Severity, impact: FindingImpact): SeverityRaise | undefined {
  for (const rule of IMPACT_RAISE_RULES) {
    if (rule.from !== severity || severityRank(rule.to) <= severityRank(severity)) continue;
    if (!rule.applies(impact)) continue;
    return { rule: rule.id, from: severity, to: rule.to, why: rule.why(impact) };
  }
  return undefined;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
