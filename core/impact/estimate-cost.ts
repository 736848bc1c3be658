import { DriftwatchError } from '../errors.js';
import type { Finding, FindingCost } from '../model/report.js';
import type { ArmResource } from '../model/resource.js';
import type { PriceCatalogue } from './price-catalogue.js';
import { type PriceSpec, priceSpecOf, type Unpriceable } from './price-resource.js';

/** Hours in a month as Azure's pricing calculator counts them (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

type Priced =
  | { kind: 'monthly'; amount: number }
  | { kind: 'per-unit'; rate: number; unit: string }
  | { kind: 'unknown'; reason: string };

/**
 * A unit of measure as a monthly factor: `1 Hour` × 730, `1/Day` × 730/24, `1/Month` × 1;
 * `N Hours` likewise. Undefined for units priced by usage (`1 GB/Month`, `10K`…).
 */
export function monthlyFactor(unitOfMeasure: string): number | undefined {
  const hours = /^(\d+) Hours?$/.exec(unitOfMeasure);
  if (hours) return HOURS_PER_MONTH / Number(hours[1]);
  if (unitOfMeasure === '1/Hour') return HOURS_PER_MONTH;
  if (unitOfMeasure === '1/Day' || unitOfMeasure === '1 Day') return HOURS_PER_MONTH / 24;
  if (unitOfMeasure === '1/Month' || unitOfMeasure === '1 Month') return 1;
  return undefined;
}

/**
 * The monthly list-price delta of one finding: a modified resource whose priced facts changed
 * (size, SKU, tier, workers, disk tier) costs after − before; an added priced resource costs its
 * price, a removed one saves it. Undefined when nothing priced changed. A price the catalogue
 * cannot give (no matching row, endpoint down, a SKU not mapped) is `unknown` with the reason —
 * never zero.
 *
 * @example
 * await estimateFindingCost(finding, { before, after, prices })
 * // → { status: 'priced', currency: 'USD', monthlyBefore: 140.16, monthlyAfter: 560.64, monthlyDelta: 420.48, what: 'Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope)' }
 */
export async function estimateFindingCost(
  finding: Pick<Finding, 'change'>,
  options: { before?: ArmResource; after?: ArmResource; prices: PriceCatalogue },
): Promise<FindingCost | undefined> {
  if (finding.change === 'unknown') return undefined;
  const before =
    finding.change !== 'added' && options.before ? priceSpecOf(options.before) : undefined;
  const after =
    finding.change !== 'removed' && options.after ? priceSpecOf(options.after) : undefined;
  if (!before && !after) return undefined;
  if (before && after && sameSpec(before, after)) return undefined;
  const currency = options.prices.currency;
  const what = describeWhat(before?.what, after?.what);
  const [b, a] = await Promise.all([
    before ? priceOf(before, options.prices) : undefined,
    after ? priceOf(after, options.prices) : undefined,
  ]);
  const unknown = [b, a].find((p) => p?.kind === 'unknown');
  if (unknown?.kind === 'unknown')
    return { status: 'unknown', currency, what, reason: unknown.reason };
  if (b?.kind === 'per-unit' || a?.kind === 'per-unit') {
    const rate = (p: Priced | undefined) => (p?.kind === 'per-unit' ? p.rate : 0);
    const unit = (a?.kind === 'per-unit' ? a.unit : b?.kind === 'per-unit' ? b.unit : '') as string;
    return {
      status: 'per-unit',
      currency,
      what,
      unitDelta: round(rate(a) - rate(b), 6),
      unit,
      reason: 'priced per unit of use; the amount used is not known',
    };
  }
  const monthly = (p: Priced | undefined) => (p?.kind === 'monthly' ? p.amount : 0);
  const out: FindingCost = {
    status: 'priced',
    currency,
    what,
    monthlyDelta: round(monthly(a) - monthly(b), 2),
  };
  if (b) out.monthlyBefore = round(monthly(b), 2);
  if (a) out.monthlyAfter = round(monthly(a), 2);
  return out;
}

/** `D4s_v5 (Linux, westeurope) → D16s_v5 (Linux, westeurope)` reads `D4s_v5 → D16s_v5 (Linux, westeurope)`. */
function describeWhat(before: string | undefined, after: string | undefined): string {
  if (!before || !after) return (before ?? after) as string;
  const tail = / \([^()]*\)$/;
  const b = tail.exec(before)?.[0];
  if (b && after.endsWith(b)) return `${before.slice(0, -b.length)} → ${after}`;
  return `${before} → ${after}`;
}

function sameSpec(a: PriceSpec | Unpriceable, b: PriceSpec | Unpriceable): boolean {
  return (
    a.what === b.what && ('quantity' in a ? a.quantity : 0) === ('quantity' in b ? b.quantity : 0)
  );
}

async function priceOf(spec: PriceSpec | Unpriceable, prices: PriceCatalogue): Promise<Priced> {
  if ('unpriced' in spec) return { kind: 'unknown', reason: spec.unpriced };
  let row: ReturnType<PriceSpec['pick']>;
  try {
    row = spec.pick(await prices.find(spec.query));
  } catch (error) {
    // A failed lookup is an unknown price for this finding, not a failed report.
    if (error instanceof DriftwatchError)
      return { kind: 'unknown', reason: `price lookup failed: ${error.message}` };
    throw error;
  }
  if (!row) return { kind: 'unknown', reason: `no list price found for ${spec.what}` };
  const factor = monthlyFactor(row.unitOfMeasure);
  if (factor === undefined)
    return { kind: 'per-unit', rate: row.retailPrice * spec.quantity, unit: row.unitOfMeasure };
  return { kind: 'monthly', amount: row.retailPrice * factor * spec.quantity };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
