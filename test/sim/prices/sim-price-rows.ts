import { type RetailPriceItem, retailPriceRow } from '../../../core/impact/price-catalogue.js';

/**
 * Price rows written for the tests: the Retail Prices API's fields, made-up prices (never copied
 * from the network). Each VM size comes with the rows a real answer mixes in — Windows, Spot,
 * Low Priority, a reservation, Dev/Test and a non-primary meter region — so selection is tested.
 */
const row = retailPriceRow;

function vmRows(size: string, sku: string, linux: number): RetailPriceItem[] {
  const product = 'Virtual Machines Dsv5 Series';
  const base = { armSkuName: size, skuName: sku, meterName: sku, productName: product };
  return [
    row({ ...base, type: 'Reservation', unitOfMeasure: '1 Hour', retailPrice: linux * 0.6 }),
    row({ ...base, type: 'DevTestConsumption', retailPrice: linux * 0.5 }),
    row({ ...base, skuName: `${sku} Spot`, meterName: `${sku} Spot`, retailPrice: linux * 0.2 }),
    row({
      ...base,
      skuName: `${sku} Low Priority`,
      meterName: `${sku} Low Priority`,
      retailPrice: linux * 0.25,
    }),
    row({ ...base, productName: `${product} Windows`, retailPrice: linux * 1.9 }),
    row({ ...base, isPrimaryMeterRegion: false, retailPrice: linux * 3 }),
    row({ ...base, retailPrice: linux }),
  ];
}

export const SIM_PRICE_ROWS: readonly RetailPriceItem[] = [
  ...vmRows('Standard_D2s_v5', 'D2s v5', 0.1),
  ...vmRows('Standard_D4s_v5', 'D4s v5', 0.2),
  ...vmRows('Standard_D16s_v5', 'D16s v5', 0.8),
  row({
    serviceName: 'Azure App Service',
    productName: 'Azure App Service Premium v3 Plan - Linux',
    skuName: 'P1 v3',
    meterName: 'P1 v3 App',
    retailPrice: 0.15,
  }),
  row({
    serviceName: 'Azure App Service',
    productName: 'Azure App Service Premium v3 Plan',
    skuName: 'P1 v3',
    meterName: 'P1 v3 App',
    retailPrice: 0.3,
  }),
  row({
    serviceName: 'Azure App Service',
    productName: 'Azure App Service Premium v3 Plan - Linux',
    skuName: 'P2 v3',
    meterName: 'P2 v3 App',
    retailPrice: 0.3,
  }),
  row({
    serviceName: 'SQL Database',
    productName: 'SQL Database Single Standard',
    skuName: 'S2',
    meterName: 'S2 DTUs',
    unitOfMeasure: '1/Day',
    retailPrice: 2.4,
  }),
  row({
    serviceName: 'SQL Database',
    productName: 'SQL Database Single Standard',
    skuName: 'S3',
    meterName: 'S3 DTUs',
    unitOfMeasure: '1/Day',
    retailPrice: 4.8,
  }),
  row({
    serviceName: 'Storage',
    productName: 'General Block Blob v2',
    skuName: 'Hot LRS',
    meterName: 'Hot LRS Data Stored',
    unitOfMeasure: '1 GB/Month',
    retailPrice: 0.02,
  }),
  row({
    serviceName: 'Storage',
    productName: 'General Block Blob v2',
    skuName: 'Hot GRS',
    meterName: 'Hot GRS Data Stored',
    unitOfMeasure: '1 GB/Month',
    retailPrice: 0.04,
  }),
  row({
    serviceName: 'Storage',
    productName: 'General Block Blob v2',
    skuName: 'Hot GRS',
    meterName: 'Hot GRS Write Operations',
    unitOfMeasure: '10K',
    retailPrice: 0.1,
  }),
  row({
    serviceName: 'Storage',
    productName: 'Premium SSD Managed Disks',
    skuName: 'P6 LRS',
    meterName: 'P6 LRS Disk',
    unitOfMeasure: '1/Month',
    retailPrice: 10,
  }),
  row({
    serviceName: 'Storage',
    productName: 'Premium SSD Managed Disks',
    skuName: 'P10 LRS',
    meterName: 'P10 LRS Disk',
    unitOfMeasure: '1/Month',
    retailPrice: 20,
  }),
  row({
    serviceName: 'Virtual Network',
    productName: 'IP Addresses',
    skuName: 'Standard',
    meterName: 'Standard IPv4 Static Public IP',
    retailPrice: 0.005,
  }),
  // 250 sizes in one region, for a broad query that pages (100 a page).
  ...Array.from({ length: 250 }, (_, i) =>
    row({
      armRegionName: 'westus',
      armSkuName: `Standard_Sim${i}`,
      skuName: `Sim${i}`,
      meterName: `Sim${i}`,
      productName: 'Virtual Machines Sim Series',
      retailPrice: 0.01 * (i + 1),
    }),
  ),
];
