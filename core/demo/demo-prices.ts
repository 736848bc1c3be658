import {
  createStaticPriceCatalogue,
  type PriceCatalogue,
  type RetailPriceItem,
  retailPriceRow,
} from '../impact/price-catalogue.js';

const row = retailPriceRow;

const vm = (size: string, sku: string, linux: number, windows: number, spot: number) => [
  row({
    armSkuName: size,
    skuName: sku,
    meterName: sku,
    productName: 'Virtual Machines Dsv5 Series',
    retailPrice: linux,
  }),
  row({
    armSkuName: size,
    skuName: sku,
    meterName: sku,
    productName: 'Virtual Machines Dsv5 Series Windows',
    retailPrice: windows,
  }),
  row({
    armSkuName: size,
    skuName: `${sku} Spot`,
    meterName: `${sku} Spot`,
    productName: 'Virtual Machines Dsv5 Series',
    retailPrice: spot,
  }),
];

/**
 * The demo's price table: rows in the Retail Prices API's shape with round numbers written for
 * the demo — not Azure's prices, and never fetched. They let `driftwatch demo` show cost offline
 * through the same port (and the same row selection) as the real API.
 */
export const DEMO_PRICE_ROWS: readonly RetailPriceItem[] = [
  ...vm('Standard_D4s_v5', 'D4s v5', 0.2, 0.38, 0.04),
  ...vm('Standard_D16s_v5', 'D16s v5', 0.8, 1.52, 0.16),
  row({
    serviceName: 'Virtual Network',
    productName: 'IP Addresses',
    skuName: 'Standard',
    meterName: 'Standard IPv4 Static Public IP',
    retailPrice: 0.005,
  }),
];

/** The demo's price source: {@link DEMO_PRICE_ROWS}, in US dollars. */
export function demoPriceCatalogue(): PriceCatalogue {
  return createStaticPriceCatalogue(DEMO_PRICE_ROWS, {
    currency: 'USD',
    source: 'the demo price table (round numbers written for the demo, not Azure prices)',
  });
}
