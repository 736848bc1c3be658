import type { CostSummary, Finding, Report } from '../model/report.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import { estimateFindingCost } from './estimate-cost.js';
import type { PriceCatalogue } from './price-catalogue.js';

/** Said wherever a cost is shown: what the estimate is and is not. */
export const LIST_PRICE_BASIS =
  'list price (pay-as-you-go, Azure Retail Prices API): no reservations, savings plans or negotiated prices';

/**
 * Adds each finding's monthly cost delta at list price (`cost`) and their sum
 * (`summary.cost`): priced deltas are added, unknown prices are counted as `unpriced` and never
 * added as zero, per-unit prices (storage per GB) are counted apart. Findings without a priced
 * change get no `cost`; a report without any gets no `summary.cost`.
 *
 * @example
 * const report = await addCostImpact(withRadius, { baseline, current, prices });
 * report.summary.cost // { currency: 'USD', monthlyDelta: 424.13, priced: 2, unpriced: 0, perUnit: 0, basis: … }
 */
export async function addCostImpact(
  report: Report,
  options: {
    baseline: Pick<Snapshot, 'resources'>;
    current: Pick<Snapshot, 'resources'>;
    prices: PriceCatalogue;
  },
): Promise<Report> {
  const wanted = new Set(
    report.findings.filter((f) => f.change !== 'unknown').map((f) => f.resourceId.toLowerCase()),
  );
  if (wanted.size === 0) return report;
  const before = pick(options.baseline.resources, wanted);
  const after = pick(options.current.resources, wanted);
  const findings = await Promise.all(
    report.findings.map(async (f): Promise<Finding> => {
      const key = f.resourceId.toLowerCase();
      const cost = await estimateFindingCost(f, {
        prices: options.prices,
        ...(before.has(key) ? { before: before.get(key) as ArmResource } : {}),
        ...(after.has(key) ? { after: after.get(key) as ArmResource } : {}),
      });
      return cost ? { ...f, cost } : f;
    }),
  );
  const costed = findings.filter((f) => f.cost);
  if (costed.length === 0) return { ...report, findings };
  const summary: CostSummary = {
    currency: options.prices.currency,
    monthlyDelta: 0,
    priced: 0,
    unpriced: 0,
    perUnit: 0,
    basis: LIST_PRICE_BASIS,
  };
  for (const f of costed) {
    const cost = f.cost as NonNullable<Finding['cost']>;
    if (cost.status === 'priced') {
      summary.priced += 1;
      summary.monthlyDelta += cost.monthlyDelta ?? 0;
    } else if (cost.status === 'per-unit') summary.perUnit += 1;
    else summary.unpriced += 1;
  }
  summary.monthlyDelta = Math.round(summary.monthlyDelta * 100) / 100;
  return { ...report, findings, summary: { ...report.summary, cost: summary } };
}

function pick(resources: readonly ArmResource[], wanted: Set<string>): Map<string, ArmResource> {
  const out = new Map<string, ArmResource>();
  for (const r of resources) {
    if (typeof r.id === 'string' && wanted.has(r.id.toLowerCase())) out.set(r.id.toLowerCase(), r);
  }
  return out;
}
