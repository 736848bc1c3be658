import { DEFAULT_IMPACT_CONFIG, type ImpactConfig } from '../config/sections/impact-config.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import type { DriftStore } from '../store/drift-store.js';
import { addBlastRadius } from './add-blast-radius.js';
import { addCostImpact } from './add-cost-impact.js';
import type { PriceCatalogue, RetailPriceItem } from './price-catalogue.js';
import { createRetailPriceCatalogue } from './retail-price-catalogue.js';

/** Store area where fetched list prices are cached (TTL `impact.cost.cacheTtlMs`). */
export const PRICES_AREA = 'prices';

/** Options of {@link enrichImpact}. */
export interface EnrichImpactOptions {
  /** Both snapshots as read, before secret protection (Key Vault references in app settings). */
  baseline: Pick<Snapshot, 'resources'>;
  current: Pick<Snapshot, 'resources'>;
  config?: ImpactConfig | undefined;
  /** Where prices come from; none means no cost estimate. See {@link priceCatalogueFor}. */
  prices?: PriceCatalogue | undefined;
}

/**
 * The impact of a report's findings: the blast radius (with the documented severity raises) and,
 * when a price catalogue is given, the monthly cost delta at list price. Called by every host that
 * produces a report (scan, check, diff, demo) after comparing and before sanitising and saving.
 *
 * @example
 * const report = await enrichImpact(compared, { baseline: rawBaseline, current: rawCurrent, config: config.impact, prices: priceCatalogueFor(config.impact, { fetch, store }) });
 */
export async function enrichImpact(report: Report, options: EnrichImpactOptions): Promise<Report> {
  const config = options.config ?? DEFAULT_IMPACT_CONFIG;
  const withRadius = addBlastRadius(report, {
    current: options.current,
    baseline: options.baseline,
    config,
  });
  if (!options.prices) return withRadius;
  return addCostImpact(withRadius, {
    baseline: options.baseline,
    current: options.current,
    prices: options.prices,
  });
}

/**
 * The Retail Prices API catalogue config asks for, or undefined when `impact.cost.enabled` is
 * false (the default: no command reaches the network for prices unless asked). Prices are cached
 * in the store's `prices` area when a store is given.
 *
 * @example
 * const prices = priceCatalogueFor(config.impact, { fetch: globalThis.fetch, store });
 */
export function priceCatalogueFor(
  config: ImpactConfig | undefined,
  deps: { fetch: typeof fetch; store?: DriftStore },
): PriceCatalogue | undefined {
  const cost = (config ?? DEFAULT_IMPACT_CONFIG).cost;
  if (!cost.enabled) return undefined;
  return createRetailPriceCatalogue({
    endpoint: cost.endpoint,
    currency: cost.currency,
    fetch: deps.fetch,
    cacheTtlMs: cost.cacheTtlMs,
    requestsPerSecond: cost.requestsPerSecond,
    ...(deps.store ? { cache: deps.store.keyValue<RetailPriceItem[]>(PRICES_AREA) } : {}),
  });
}
