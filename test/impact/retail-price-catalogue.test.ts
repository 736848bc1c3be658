import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { HttpError } from '../../core/errors.js';
import type { RetailPriceItem } from '../../core/impact/price-catalogue.js';
import {
  createRetailPriceCatalogue,
  queryUrl,
  type RetailPriceOptions,
  retryAfterMs,
} from '../../core/impact/retail-price-catalogue.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { SIM_PRICE_ROWS } from '../sim/prices/sim-price-rows.js';
import { type PricesSim, startPricesSimulator } from '../sim/prices/start-prices-simulator.js';

const D4 = {
  serviceName: 'Virtual Machines',
  armRegionName: 'westeurope',
  armSkuName: 'Standard_D4s_v5',
};

describe('createRetailPriceCatalogue', () => {
  let sim: PricesSim;
  let store: DriftStore;
  let slept: number[];
  const catalogue = (extra: Partial<RetailPriceOptions> = {}) =>
    createRetailPriceCatalogue({
      endpoint: sim.endpoint,
      currency: 'USD',
      fetch: globalThis.fetch,
      cacheTtlMs: 60_000,
      requestsPerSecond: 1000,
      sleep: async (ms) => {
        slept.push(ms);
      },
      clock: fixedClock('2026-11-27T12:00:00Z'),
      ...extra,
    });

  beforeEach(async () => {
    sim = await startPricesSimulator({ rows: SIM_PRICE_ROWS, rates: { EUR: 0.5 } });
    store = await openStore({ memory: true });
    slept = [];
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    await store.close();
  });

  it('asks for Consumption prices only and returns the matching items', async () => {
    const items = await catalogue().find(D4);

    expect(
      items.map((i) => [i.type, i.skuName, i.productName, i.isPrimaryMeterRegion, i.retailPrice]),
    ).toEqual([
      ['Consumption', 'D4s v5 Spot', 'Virtual Machines Dsv5 Series', true, 0.04],
      ['Consumption', 'D4s v5 Low Priority', 'Virtual Machines Dsv5 Series', true, 0.05],
      ['Consumption', 'D4s v5', 'Virtual Machines Dsv5 Series Windows', true, 0.38],
      ['Consumption', 'D4s v5', 'Virtual Machines Dsv5 Series', false, 0.6],
      ['Consumption', 'D4s v5', 'Virtual Machines Dsv5 Series', true, 0.2],
    ]);
    expect(sim.requests.map((r) => decodeURIComponent(r.url))).toEqual([
      "/api/retail/prices?currencyCode='USD'&$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope' and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'",
    ]);
  });

  it('follows NextPageLink across pages of 100', async () => {
    const items = await catalogue().find({
      serviceName: 'Virtual Machines',
      armRegionName: 'westus',
    });

    expect(items.length).toBe(250);
    expect(items[249]?.armSkuName).toBe('Standard_Sim249');
    expect(sim.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('$skip'))).toEqual([
      null,
      '100',
      '200',
    ]);
  });

  it('asks in the configured currency', async () => {
    const items = await catalogue({ currency: 'EUR' }).find(D4);

    expect(items.at(-1)?.retailPrice).toBe(0.1);
  });

  it('waits out a 429 for its Retry-After and then reads the page', async () => {
    sim.inject({ status: 429, times: 2, retryAfter: '3' });

    const items = await catalogue().find(D4);

    expect(items.length).toBe(5);
    expect(slept).toEqual([3000, 3000]);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('gives up after maxRetries 429s with a coded error naming the endpoint', async () => {
    sim.inject({ status: 429, times: 5, retryAfter: '1' });

    const failure = await catalogue({ maxRetries: 2 })
      .find(D4)
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(HttpError);
    expect([
      (failure as HttpError).code,
      (failure as HttpError).status,
      (failure as Error).message,
    ]).toEqual([
      'prices.throttled',
      429,
      `prices: ${sim.endpoint} answered HTTP 429 after 2 retries`,
    ]);
  });

  it('answers a repeated query from the store without a second request', async () => {
    const cache = store.keyValue<RetailPriceItem[]>('prices');
    await catalogue({ cache }).find(D4);

    const again = await catalogue({ cache }).find(D4);

    expect(again.length).toBe(5);
    expect(sim.requests.length).toBe(1);
  });

  it('sends one request for the same query asked twice at once', async () => {
    const prices = catalogue();

    await Promise.all([prices.find(D4), prices.find(D4)]);

    expect(sim.requests.length).toBe(1);
  });

  it('says the endpoint could not be reached when nothing listens', async () => {
    const failure = await createRetailPriceCatalogue({
      endpoint: 'http://127.0.0.1:9/api/retail/prices',
      currency: 'USD',
      fetch: globalThis.fetch,
      cacheTtlMs: 0,
      requestsPerSecond: 1000,
    })
      .find(D4)
      .catch((e: unknown) => e);

    expect((failure as HttpError).code).toBe('prices.unreachable');
  });
});

describe('queryUrl', () => {
  it('doubles single quotes inside OData literals', () => {
    const url = queryUrl('https://prices.azure.com/api/retail/prices', 'USD', {
      serviceName: "O'Brien",
      armRegionName: 'westeurope',
    });

    expect(decodeURIComponent(url)).toBe(
      "https://prices.azure.com/api/retail/prices?currencyCode='USD'&$filter=serviceName eq 'O''Brien' and armRegionName eq 'westeurope' and priceType eq 'Consumption'",
    );
  });
});

describe('retryAfterMs', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }, 5000],
    [{ 'retry-after-ms': '250', 'retry-after': '7' }, 250],
    [{ 'x-ms-retry-after-ms': '40' }, 40],
    [{}, undefined],
  ])('%j → %s', (headers, ms) => {
    expect(retryAfterMs(new Headers(headers), Date.parse('2026-11-27T12:00:00Z'))).toBe(ms);
  });
});
