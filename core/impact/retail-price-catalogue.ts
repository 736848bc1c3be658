import type Bottleneck from 'bottleneck';
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { HttpError } from '../errors.js';
import { abortableSleep, type Sleep } from '../resilience/abortable-sleep.js';
import type { KeyValue } from '../store/drift-store.js';
import {
  type PriceCatalogue,
  type PriceQuery,
  QUERY_FIELDS,
  type RetailPriceItem,
} from './price-catalogue.js';

/** The fields of a Retail Prices API item that are read; the rest of the item is dropped. */
const Item = z.object({
  retailPrice: z.number(),
  unitPrice: z.number(),
  unitOfMeasure: z.string(),
  armRegionName: z.string(),
  armSkuName: z.string(),
  meterName: z.string(),
  productName: z.string(),
  skuName: z.string(),
  serviceName: z.string(),
  type: z.string(),
  isPrimaryMeterRegion: z.boolean().optional(),
});
/** The documented page: `{ BillingCurrency, CustomerEntityId, CustomerEntityType, Items, NextPageLink, Count }`. */
const Page = z.object({
  BillingCurrency: z.string().optional(),
  Items: z.array(Item),
  NextPageLink: z.string().nullable().optional(),
  Count: z.number().optional(),
});

/** Options of {@link createRetailPriceCatalogue}. */
export interface RetailPriceOptions {
  /** `https://prices.azure.com/api/retail/prices` or a simulator. */
  endpoint: string;
  currency: string;
  fetch: typeof fetch;
  /** Store area for fetched prices (`store.keyValue('prices')`); none means no cache. */
  cache?: KeyValue<RetailPriceItem[]>;
  cacheTtlMs: number;
  /** Requests per second sent to the endpoint (one at a time). */
  requestsPerSecond: number;
  /** 429s waited out per request before giving up (default 3). */
  maxRetries?: number;
  /** Pages followed per query before giving up (default 20: 2,000 items). */
  maxPages?: number;
  sleep?: Sleep;
  clock?: Clock;
}

/**
 * The Azure Retail Prices API as a {@link PriceCatalogue}: one `$filter` of equality terms plus
 * `priceType eq 'Consumption'` (pay-as-you-go list prices; reservations, savings plans and
 * negotiated prices are not asked for), every `NextPageLink` page followed, results kept in the
 * store for `cacheTtlMs`, requests paced (Bottleneck) and a 429 waited out for its `Retry-After`.
 * Failures throw `HttpError` (`prices.http`, `prices.throttled`, `prices.unreachable`,
 * `prices.malformed`, `prices.too-many-pages`); callers turn them into "unknown", never zero.
 *
 * @example
 * const prices = createRetailPriceCatalogue({ endpoint, currency: 'USD', fetch, cache: store.keyValue('prices'), cacheTtlMs: 86_400_000, requestsPerSecond: 4 });
 * await prices.find({ serviceName: 'Virtual Machines', armRegionName: 'westeurope', armSkuName: 'Standard_D4s_v5' });
 */
export function createRetailPriceCatalogue(options: RetailPriceOptions): PriceCatalogue {
  // Bottleneck loads with the first request, not with the CLI: most runs price nothing.
  let limiter: Promise<Bottleneck> | undefined;
  const get = async (url: string) => {
    limiter ??= import('bottleneck').then(
      ({ default: Limiter }) =>
        new Limiter({ maxConcurrent: 1, minTime: Math.ceil(1000 / options.requestsPerSecond) }),
    );
    return (await limiter).schedule(() => getPage(url, options));
  };
  const inFlight = new Map<string, Promise<RetailPriceItem[]>>();

  async function readAll(first: string): Promise<RetailPriceItem[]> {
    const cached = await options.cache?.get(first);
    if (cached) return cached;
    const items: RetailPriceItem[] = [];
    let url: string | undefined = first;
    for (let page = 0; url; page++) {
      if (page >= (options.maxPages ?? 20)) {
        throw new HttpError(
          'prices.too-many-pages',
          `prices: more than ${options.maxPages ?? 20} pages for one query at ${options.endpoint}; the query is too broad`,
          { url: first },
        );
      }
      const body = await get(url);
      for (const item of body.Items) if (item.type === 'Consumption') items.push(item);
      url = body.NextPageLink ?? undefined;
    }
    await options.cache?.set(first, items, options.cacheTtlMs);
    return items;
  }

  return {
    currency: options.currency,
    source: `Azure Retail Prices API (${options.endpoint})`,
    find(query) {
      const url = queryUrl(options.endpoint, options.currency, query);
      const running = inFlight.get(url);
      if (running) return running;
      const started = readAll(url).finally(() => inFlight.delete(url));
      inFlight.set(url, started);
      return started;
    },
  };
}

/** The first page's URL: `?currencyCode='USD'&$filter=serviceName eq '…' and … and priceType eq 'Consumption'`. */
export function queryUrl(endpoint: string, currency: string, query: PriceQuery): string {
  const terms = QUERY_FIELDS.filter((f) => query[f] !== undefined).map(
    // OData string literals double a single quote.
    (f) => `${f} eq '${(query[f] as string).replaceAll("'", "''")}'`,
  );
  terms.push("priceType eq 'Consumption'");
  return `${endpoint}?currencyCode=${encodeURIComponent(`'${currency}'`)}&$filter=${encodeURIComponent(terms.join(' and '))}`;
}

async function getPage(url: string, options: RetailPriceOptions): Promise<z.infer<typeof Page>> {
  const sleep = options.sleep ?? abortableSleep;
  const clock = options.clock ?? systemClock;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await options.fetch(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new HttpError(
        'prices.unreachable',
        `prices: ${options.endpoint} could not be reached (${(error as Error).message})`,
        { url, cause: error },
      );
    }
    if (response.status === 429 && attempt < (options.maxRetries ?? 3)) {
      await response.body?.cancel();
      await sleep(retryAfterMs(response.headers, clock.now().getTime()) ?? 1_000 * 2 ** attempt);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(
        response.status === 429 ? 'prices.throttled' : 'prices.http',
        `prices: ${options.endpoint} answered HTTP ${response.status}${response.status === 429 ? ` after ${attempt} retries` : ''}`,
        { status: response.status, url },
      );
    }
    const parsed = Page.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new HttpError(
        'prices.malformed',
        `prices: ${options.endpoint} answered a page without the documented Items array (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
        { status: response.status, url },
      );
    }
    return parsed.data;
  }
}

/**
 * How long a 429 asks to wait: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After`
 * (delta-seconds or an HTTP date, RFC 9110 §10.2.3), as Azure's SDKs read them.
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name);
    const ms = Number(value);
    if (value !== null && value !== '' && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers.get('retry-after');
  if (value === null || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
