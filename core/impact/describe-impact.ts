import type { Finding, Report } from '../model/report.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { escapeControl } from '../report/escape-terminal.js';
import { isWorkload, kindOf, saysEmptyRadius, verbFor } from './resource-kinds.js';

const NAMES_SHOWN = 5;
/** Text from Azure, safe for a terminal or chat line: secrets masked, control characters escaped. */
const safe = (text: string) => escapeControl(redactSecrets(text));

/**
 * One line saying what a finding's resource touches, for terminal and chat renderers:
 * `guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production`. Undefined when the
 * finding has no impact to tell. Names are escaped for the terminal; chat renderers escape
 * their own markup on top.
 *
 * @example
 * describeImpact(finding) // 'guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production'
 */
export function describeImpact(finding: Finding): string | undefined {
  const impact = finding.impact;
  if (!impact) return undefined;
  const verb = verbFor(finding.resourceType);
  const workloads = impact.radius.filter((e) => isWorkload(e.type));
  const listed = workloads.length > 0 ? workloads : impact.radius;
  const parts: string[] = [];
  if (listed.length === 0) {
    if (!saysEmptyRadius(finding.resourceType) && !impact.selfInternetFacing) return undefined;
    parts.push(`${verb} nothing in this snapshot`);
  } else {
    const counts = new Map<string, { one: string; many: string; n: number }>();
    for (const e of listed) {
      const kind = kindOf(e.type);
      const c = counts.get(kind.one) ?? { ...kind, n: 0 };
      c.n += 1;
      counts.set(kind.one, c);
    }
    const groups = [...counts.values()].map((c) => `${c.n} ${c.n === 1 ? c.one : c.many}`);
    const names = listed.slice(0, NAMES_SHOWN).map((e) => safe(e.name));
    const more = listed.length - names.length + (workloads.length > 0 ? 0 : (impact.omitted ?? 0));
    parts.push(
      `${verb} ${groups.join(', ')}: ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    );
  }
  if (impact.internetFacing > 0) parts.push(`${impact.internetFacing} internet-facing`);
  if (impact.production > 0) parts.push(`${impact.production} production`);
  if (impact.selfInternetFacing) parts.push('itself internet-facing');
  if (impact.raisedBy)
    parts.push(`raised from ${impact.raisedBy.from} (${safe(impact.raisedBy.rule)})`);
  return parts.join(' · ');
}

/**
 * The cost beside a finding: `+$420.48/month at list price (Standard_D4s_v5 → Standard_D16s_v5 …)`,
 * or `cost unknown: …` — never a zero for an unknown price. Undefined when nothing priced changed.
 *
 * @example
 * describeCost(finding) // '+$420/month at list price (Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope))'
 */
export function describeCost(finding: Finding): string | undefined {
  const cost = finding.cost;
  if (!cost) return undefined;
  const what = safe(cost.what);
  if (cost.status === 'unknown')
    return `cost unknown: ${safe(cost.reason ?? 'no list price')} (${what})`;
  if (cost.status === 'per-unit')
    return `${formatMoney(cost.unitDelta ?? 0, cost.currency, { signed: true, unit: true })} per ${safe(cost.unit ?? 'unit')} at list price (${what}; amount used not known)`;
  return `${formatMoney(cost.monthlyDelta ?? 0, cost.currency, { signed: true })}/month at list price (${what})`;
}

/** The lines a renderer shows under a finding: its impact, then its cost (each if any). */
export function describeImpactLines(finding: Finding): string[] {
  return [describeImpact(finding), describeCost(finding)].filter((l): l is string => !!l);
}

/**
 * The report's cost line: `this drift adds about $1,180/month at list price; 2 changes unpriced`.
 * Undefined when the report carries no cost estimate.
 *
 * @example
 * describeCostSummary(report) // 'this drift adds about $424/month at list price (no reservations, savings plans or negotiated prices)'
 */
export function describeCostSummary(report: Report): string | undefined {
  const cost = report.summary.cost;
  if (!cost) return undefined;
  const delta = cost.monthlyDelta;
  const head =
    cost.priced === 0
      ? 'no monthly cost change could be priced'
      : delta === 0
        ? 'this drift leaves the monthly list price unchanged'
        : `this drift ${delta > 0 ? 'adds' : 'saves'} about ${formatMoney(Math.abs(delta), cost.currency)}/month at list price`;
  const tail: string[] = [];
  if (cost.unpriced > 0)
    tail.push(`${cost.unpriced} change${cost.unpriced === 1 ? '' : 's'} unpriced`);
  if (cost.perUnit > 0) tail.push(`${cost.perUnit} priced per unit of use, not summed`);
  return `${head}${tail.length > 0 ? `; ${tail.join(', ')}` : ''} (no reservations, savings plans or negotiated prices)`;
}

/**
 * Money as people read it: `$1,180`, `$3.65`, `+$420`, `-€12.40`; whole units from 100 up.
 * `unit` keeps up to four decimals for per-unit rates (`$0.0046`).
 */
export function formatMoney(
  amount: number,
  currency: string,
  options: { signed?: boolean; unit?: boolean } = {},
): string {
  const abs = Math.abs(amount);
  const digits = options.unit ? 4 : abs >= 100 ? 0 : 2;
  const text = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: options.unit ? 2 : digits,
    maximumFractionDigits: digits,
  }).format(abs);
  if (!options.signed) return amount < 0 ? `-${text}` : text;
  return `${amount < 0 ? '-' : '+'}${text}`;
}
