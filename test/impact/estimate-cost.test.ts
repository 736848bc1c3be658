import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { demoSnapshots } from '../../core/demo/demo-snapshots.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { enrichImpact } from '../../core/impact/enrich-impact.js';
import { estimateFindingCost, monthlyFactor } from '../../core/impact/estimate-cost.js';
import type { PriceCatalogue } from '../../core/impact/price-catalogue.js';
import { createRetailPriceCatalogue } from '../../core/impact/retail-price-catalogue.js';
import type { ArmResource } from '../../core/model/resource.js';
import { SIM_PRICE_ROWS } from '../sim/prices/sim-price-rows.js';
import { type PricesSim, startPricesSimulator } from '../sim/prices/start-prices-simulator.js';

const RG = '/subscriptions/s/resourceGroups/rg/providers';
const vm = (size: string, extra: Partial<ArmResource> = {}): ArmResource => ({
  id: `${RG}/Microsoft.Compute/virtualMachines/vm-api-02`,
  type: 'Microsoft.Compute/virtualMachines',
  location: 'West Europe',
  properties: {
    hardwareProfile: { vmSize: size },
    storageProfile: { osDisk: { osType: 'Linux' } },
  },
  ...extra,
});
const plan = (name: string, capacity: number): ArmResource => ({
  id: `${RG}/Microsoft.Web/serverfarms/plan`,
  type: 'Microsoft.Web/serverfarms',
  location: 'westeurope',
  kind: 'linux',
  sku: { name, capacity },
});
const db = (name: string): ArmResource => ({
  id: `${RG}/Microsoft.Sql/servers/sql/databases/orders`,
  type: 'Microsoft.Sql/servers/databases',
  location: 'westeurope',
  sku: { name, tier: 'Standard' },
});
const storage = (sku: string): ArmResource => ({
  id: `${RG}/Microsoft.Storage/storageAccounts/st`,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  kind: 'StorageV2',
  sku: { name: sku },
  properties: { accessTier: 'Hot' },
});
const disk = (sku: string, size: number): ArmResource => ({
  id: `${RG}/Microsoft.Compute/disks/d`,
  type: 'Microsoft.Compute/disks',
  location: 'westeurope',
  sku: { name: sku },
  properties: { diskSizeGB: size },
});
const pip: ArmResource = {
  id: `${RG}/Microsoft.Network/publicIPAddresses/pip-debug-01`,
  type: 'Microsoft.Network/publicIPAddresses',
  location: 'westeurope',
  sku: { name: 'Standard' },
  properties: { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4' },
};

describe('estimateFindingCost', () => {
  let sim: PricesSim;
  let prices: PriceCatalogue;
  beforeEach(async () => {
    sim = await startPricesSimulator({ rows: SIM_PRICE_ROWS });
    prices = createRetailPriceCatalogue({
      endpoint: sim.endpoint,
      currency: 'USD',
      fetch: globalThis.fetch,
      cacheTtlMs: 0,
      requestsPerSecond: 1000,
    });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('prices a VM resize at the Linux pay-as-you-go hourly rate × 730', async () => {
    const cost = await estimateFindingCost(
      { change: 'modified' },
      { before: vm('Standard_D4s_v5'), after: vm('Standard_D16s_v5'), prices },
    );

    expect(cost).toEqual({
      status: 'priced',
      currency: 'USD',
      what: 'Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope)',
      monthlyBefore: 146,
      monthlyAfter: 584,
      monthlyDelta: 438,
    });
  });

  it.each<[string, ArmResource | undefined, ArmResource | undefined, number, string]>([
    [
      'a Windows VM by its Windows row',
      vm('Standard_D2s_v5', {
        properties: {
          hardwareProfile: { vmSize: 'Standard_D2s_v5' },
          osProfile: { windowsConfiguration: {} },
        },
      }),
      vm('Standard_D4s_v5', {
        properties: {
          hardwareProfile: { vmSize: 'Standard_D4s_v5' },
          osProfile: { windowsConfiguration: {} },
        },
      }),
      138.7,
      'Standard_D2s_v5 → Standard_D4s_v5 (Windows, westeurope)',
    ],
    [
      'an App Service plan by SKU × workers',
      plan('P1v3', 2),
      plan('P2v3', 3),
      438,
      'P1v3 × 2 → P2v3 × 3 (Linux, westeurope)',
    ],
    ['a DTU database priced per day', db('S2'), db('S3'), 73, 'S2 → S3 (Standard, westeurope)'],
    [
      'a managed disk by its size tier',
      disk('Premium_LRS', 64),
      disk('Premium_LRS', 100),
      10,
      'P6 LRS (64 GiB, westeurope) → P10 LRS (100 GiB, westeurope)',
    ],
    ['an added public IP', undefined, pip, 3.65, 'Standard static IPv4 (westeurope)'],
    [
      'a removed VM as a saving',
      vm('Standard_D4s_v5'),
      undefined,
      -146,
      'Standard_D4s_v5 (Linux, westeurope)',
    ],
  ])('prices %s', async (_, before, after, delta, what) => {
    const change = before && after ? 'modified' : before ? 'removed' : 'added';

    const cost = await estimateFindingCost(
      { change },
      { ...(before ? { before } : {}), ...(after ? { after } : {}), prices },
    );

    expect([cost?.status, cost?.monthlyDelta, cost?.what]).toEqual(['priced', delta, what]);
  });

  it('prices a storage redundancy change per GB stored, not as a monthly amount', async () => {
    const cost = await estimateFindingCost(
      { change: 'modified' },
      { before: storage('Standard_LRS'), after: storage('Standard_GRS'), prices },
    );

    expect(cost).toEqual({
      status: 'per-unit',
      currency: 'USD',
      what: 'Hot LRS → Hot GRS (westeurope)',
      unitDelta: 0.02,
      unit: '1 GB/Month',
      reason: 'priced per unit of use; the amount used is not known',
    });
  });

  it('says unknown — never zero — when no row matches', async () => {
    const cost = await estimateFindingCost(
      { change: 'modified' },
      { before: vm('Standard_D4s_v5'), after: vm('Standard_NC4as_T4_v3'), prices },
    );

    expect(cost).toEqual({
      status: 'unknown',
      currency: 'USD',
      what: 'Standard_D4s_v5 → Standard_NC4as_T4_v3 (Linux, westeurope)',
      reason: 'no list price found for Standard_NC4as_T4_v3 (Linux, westeurope)',
    });
    expect(cost?.monthlyDelta).toBeUndefined();
  });

  it('says unknown with the reason when the prices endpoint fails', async () => {
    sim.inject({ status: 503, times: 2 });

    const cost = await estimateFindingCost(
      { change: 'added' },
      { after: vm('Standard_D4s_v5'), prices },
    );

    expect([cost?.status, cost?.reason]).toEqual([
      'unknown',
      `price lookup failed: prices: ${sim.endpoint} answered HTTP 503`,
    ]);
  });

  it('says unknown for a SKU it does not map (Ultra disks are priced by provisioned capacity)', async () => {
    const cost = await estimateFindingCost(
      { change: 'added' },
      { after: disk('UltraSSD_LRS', 512), prices },
    );

    expect([cost?.status, cost?.reason]).toEqual([
      'unknown',
      'only Premium, Standard SSD and Standard HDD disks are priced by tier',
    ]);
    expect(sim.requests).toEqual([]);
  });

  it('has no cost for a change that leaves the priced facts alone, nor for unknown findings', async () => {
    const tagged = vm('Standard_D4s_v5', { tags: { owner: 'b' } });

    expect(
      await estimateFindingCost(
        { change: 'modified' },
        { before: vm('Standard_D4s_v5'), after: tagged, prices },
      ),
    ).toBeUndefined();
    expect(
      await estimateFindingCost({ change: 'unknown' }, { before: vm('Standard_D4s_v5'), prices }),
    ).toBeUndefined();
    expect(sim.requests).toEqual([]);
  });
});

describe('monthlyFactor', () => {
  it.each([
    ['1 Hour', 730],
    ['1/Day', 730 / 24],
    ['1/Month', 1],
    ['10 Hours', 73],
    ['1 GB/Month', undefined],
  ])('%s → %s', (unit, factor) => {
    expect(monthlyFactor(unit)).toBe(factor);
  });
});

describe('enrichImpact on the demo estate', () => {
  let sim: PricesSim;
  beforeEach(async () => {
    sim = await startPricesSimulator({ rows: SIM_PRICE_ROWS });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('names the resized VM’s monthly delta and sums the report, counting nothing unknown as zero', async () => {
    const { baseline, current } = demoSnapshots();
    const report = compareSnapshots(baseline, current, {
      clock: fixedClock('2026-11-21T10:00:00Z'),
    });
    const prices = createRetailPriceCatalogue({
      endpoint: sim.endpoint,
      currency: 'USD',
      fetch: globalThis.fetch,
      cacheTtlMs: 0,
      requestsPerSecond: 1000,
    });

    const out = await enrichImpact(report, { baseline, current, prices });

    const byName = (name: string) => out.findings.find((f) => f.resourceName === name);
    expect(byName('vm-api-02')?.cost?.monthlyDelta).toBe(438);
    expect(byName('pip-debug-01')?.cost?.monthlyDelta).toBe(3.65);
    expect(byName('nsg-web-prod')?.cost).toBeUndefined();
    expect(out.summary.cost).toEqual({
      currency: 'USD',
      monthlyDelta: 441.65,
      priced: 2,
      unpriced: 0,
      perUnit: 0,
      basis:
        'list price (pay-as-you-go, Azure Retail Prices API): no reservations, savings plans or negotiated prices',
    });
  });
});
