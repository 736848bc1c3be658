import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIM_PRICE_ROWS } from './sim-price-rows.js';
import { type PricesSim, startPricesSimulator } from './start-prices-simulator.js';

describe('startPricesSimulator', () => {
  let sim: PricesSim;
  beforeEach(async () => {
    sim = await startPricesSimulator({ rows: SIM_PRICE_ROWS });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('answers the documented page shape', async () => {
    const res = await fetch(`${sim.endpoint}?$filter=${encodeURIComponent("skuName eq 'P6 LRS'")}`);

    const body = (await res.json()) as {
      BillingCurrency: string;
      Count: number;
      NextPageLink: string | null;
      Items: Array<{ unitOfMeasure: string }>;
    };
    expect(Object.keys(body)).toEqual([
      'BillingCurrency',
      'CustomerEntityId',
      'CustomerEntityType',
      'Items',
      'NextPageLink',
      'Count',
    ]);
    expect([
      body.BillingCurrency,
      body.Count,
      body.NextPageLink,
      body.Items[0]?.unitOfMeasure,
    ]).toEqual(['USD', 1, null, '1/Month']);
  });

  it.each([
    ["serviceName ne 'Storage'", 'term not understood'],
    ["contains(meterName, 'Spot')", 'term not understood'],
    ["unitPrice eq '1'", 'field not understood: unitPrice'],
    ["serviceName eq 'Storage' or skuName eq 'x'", 'term not understood'],
    ["isPrimaryMeterRegion eq 'true'", 'wrong literal for isPrimaryMeterRegion'],
  ])('refuses a $filter it does not understand (%s) and records it', async (filter, why) => {
    const res = await fetch(`${sim.endpoint}?$filter=${encodeURIComponent(filter)}`);

    expect(res.status).toBe(400);
    expect(sim.unexpected.length).toBe(1);
    expect(sim.unexpected[0]).toContain(why);
  });

  it('refuses unknown parameters and currencies', async () => {
    await fetch(`${sim.endpoint}?$top=5`);
    await fetch(`${sim.endpoint}?currencyCode='XYZ'`);

    expect(sim.unexpected).toEqual([
      'GET /api/retail/prices?$top=5: parameters not understood: $top',
      'GET /api/retail/prices?currencyCode=%27XYZ%27: currency not understood: XYZ',
    ]);
  });
});
