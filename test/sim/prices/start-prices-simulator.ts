import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetailPriceItem } from '../../../core/impact/price-catalogue.js';
import { type ParsedFilter, parsePriceFilter } from './parse-price-filter.js';

/** Page size of the real API: 100 items, then a `NextPageLink` with `$skip`. */
export const PAGE_SIZE = 100;

export interface PricesSimOptions {
  /** Our own written rows, priced in USD. */
  rows: readonly RetailPriceItem[];
  /** Currency → factor from USD (`{ EUR: 0.9 }`); USD is always 1. Others are not understood. */
  rates?: Record<string, number>;
}

export interface PricesSimRequest {
  url: string;
  status: number;
}

export interface PricesSim {
  /** `http://127.0.0.1:<port>/api/retail/prices`: what `impact.cost.endpoint` is set to. */
  endpoint: string;
  requests: PricesSimRequest[];
  /** Requests the simulator did not understand; tests assert this stays empty. */
  unexpected: string[];
  /** Answer the next `times` requests with `status` (429 with `Retry-After` seconds). */
  inject(fault: { status: number; times: number; retryAfter?: string }): void;
  close(): Promise<void>;
}

/**
 * A local Azure Retail Prices API (`GET /api/retail/prices?currencyCode='USD'&$filter=…`): the
 * documented page `{ BillingCurrency, CustomerEntityId, CustomerEntityType, Items, NextPageLink,
 * Count }`, 100 items a page with `$skip` in `NextPageLink`, `priceType` filtering the items'
 * `type`, prices converted by the given rates. A query it does not understand is answered 400
 * and recorded in `unexpected`.
 */
export async function startPricesSimulator(options: PricesSimOptions): Promise<PricesSim> {
  const requests: PricesSimRequest[] = [];
  const unexpected: string[] = [];
  const faults: Array<{ status: number; times: number; retryAfter?: string }> = [];
  const rates: Record<string, number> = { USD: 1, ...options.rates };
  let endpoint = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const entry: PricesSimRequest = { url: req.url ?? '', status: 0 };
    requests.push(entry);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, headers);
    };
    const refuse = (why: string) => {
      unexpected.push(`${req.method} ${req.url}: ${why}`);
      reply(400, { Error: { Code: 'BadRequest', Message: why } });
    };
    if (req.method !== 'GET' || url.pathname !== '/api/retail/prices')
      return refuse('only GET /api/retail/prices is served');
    const fault = faults.find((f) => f.times > 0);
    if (fault) {
      fault.times -= 1;
      return reply(
        fault.status,
        { Error: { Code: 'TooManyRequests', Message: 'Rate limit exceeded' } },
        fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter },
      );
    }
    const known = new Set(['currencyCode', '$filter', '$skip']);
    const stray = [...url.searchParams.keys()].filter((k) => !known.has(k));
    if (stray.length > 0) return refuse(`parameters not understood: ${stray.join(', ')}`);
    const currency = (url.searchParams.get('currencyCode') ?? "'USD'").replace(/^'(.*)'$/, '$1');
    const rate = rates[currency];
    if (rate === undefined) return refuse(`currency not understood: ${currency}`);
    const filterText = url.searchParams.get('$filter');
    const filter = filterText === null ? [] : parsePriceFilter(filterText);
    if (!Array.isArray(filter)) return refuse(filter.error);
    const skip = Number(url.searchParams.get('$skip') ?? '0');
    if (!Number.isInteger(skip) || skip < 0) return refuse('$skip must be a whole number');
    const matching = options.rows.filter((row) => matches(row, filter));
    const page = matching.slice(skip, skip + PAGE_SIZE).map((row) => item(row, currency, rate));
    let next: string | null = null;
    if (skip + PAGE_SIZE < matching.length) {
      const link = new URL(endpoint);
      for (const [k, v] of url.searchParams) if (k !== '$skip') link.searchParams.set(k, v);
      link.searchParams.set('$skip', String(skip + PAGE_SIZE));
      next = link.toString();
    }
    reply(200, {
      BillingCurrency: currency,
      CustomerEntityId: 'Default',
      CustomerEntityType: 'Retail',
      Items: page,
      NextPageLink: next,
      Count: page.length,
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/retail/prices`;
  return {
    endpoint,
    requests,
    unexpected,
    inject: (fault) => faults.push({ ...fault }),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function matches(row: RetailPriceItem, filter: ParsedFilter): boolean {
  return filter.every(({ field, value }) => {
    if (field === 'priceType') return row.type === value;
    if (field === 'isPrimaryMeterRegion') return (row.isPrimaryMeterRegion ?? true) === value;
    const own = (row as unknown as Record<string, unknown>)[field];
    return own === value;
  });
}

/** A row as the API writes an item: every documented field, prices in the asked currency. */
function item(row: RetailPriceItem, currency: string, rate: number) {
  const price = (n: number) => Math.round(n * rate * 1e6) / 1e6;
  return {
    currencyCode: currency,
    tierMinimumUnits: 0,
    retailPrice: price(row.retailPrice),
    unitPrice: price(row.unitPrice),
    armRegionName: row.armRegionName,
    location: row.armRegionName,
    effectiveStartDate: '2026-01-01T00:00:00Z',
    meterId: `sim-${row.serviceName}-${row.skuName}-${row.meterName}`.replaceAll(' ', '-'),
    meterName: row.meterName,
    productId: 'SIM0001',
    skuId: 'SIM0001/0001',
    productName: row.productName,
    skuName: row.skuName,
    serviceName: row.serviceName,
    serviceId: 'SIM0000',
    serviceFamily: 'Compute',
    unitOfMeasure: row.unitOfMeasure,
    type: row.type,
    isPrimaryMeterRegion: row.isPrimaryMeterRegion ?? true,
    armSkuName: row.armSkuName,
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
