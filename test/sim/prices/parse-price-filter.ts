/**
 * The subset of OData `$filter` the Retail Prices simulator understands: equality terms joined by
 * ` and `, string literals in single quotes (a quote doubled inside), `true`/`false` for
 * `isPrimaryMeterRegion`. Anything else is not understood: the simulator answers 400 and the test
 * fails on `unexpected`.
 */
export const FILTER_FIELDS = [
  'serviceName',
  'serviceFamily',
  'armRegionName',
  'armSkuName',
  'skuName',
  'productName',
  'meterName',
  'priceType',
  'isPrimaryMeterRegion',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export type ParsedFilter = Array<{ field: FilterField; value: string | boolean }>;

const TERM = /^([A-Za-z]+) eq (?:'((?:[^']|'')*)'|(true|false))$/;

/** The terms of `$filter`, or an error saying what is not understood. */
export function parsePriceFilter(filter: string): ParsedFilter | { error: string } {
  const out: ParsedFilter = [];
  // Split on ' and ' outside quotes.
  const terms: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i] as string;
    if (ch === "'") quoted = !quoted;
    if (!quoted && filter.startsWith(' and ', i)) {
      terms.push(current);
      current = '';
      i += 4;
      continue;
    }
    current += ch;
  }
  terms.push(current);
  for (const term of terms) {
    const m = TERM.exec(term);
    if (!m) return { error: `term not understood: ${JSON.stringify(term)}` };
    const field = m[1] as FilterField;
    if (!FILTER_FIELDS.includes(field)) return { error: `field not understood: ${field}` };
    const value = m[3] !== undefined ? m[3] === 'true' : (m[2] as string).replaceAll("''", "'");
    if ((field === 'isPrimaryMeterRegion') !== (typeof value === 'boolean'))
      return { error: `wrong literal for ${field}: ${term}` };
    out.push({ field, value });
  }
  return out;
}
