/**
 * Where list prices come from: the port the Azure Retail Prices API adapter and the demo's own
 * written price table both implement.
 */

/** The fields of a Retail Prices API item that driftwatch reads (the API returns more). */
export interface RetailPriceItem {
  retailPrice: number;
  unitPrice: number;
  unitOfMeasure: string;
  armRegionName: string;
  armSkuName: string;
  meterName: string;
  productName: string;
  skuName: string;
  serviceName: string;
  /** `Consumption`, `Reservation`, `DevTestConsumption`. */
  type: string;
  isPrimaryMeterRegion?: boolean;
}

/** Equality filters on the API's fields; the catalogue adds `priceType eq 'Consumption'`. */
/**
 * A price row written by hand (the demo's table, the simulator's rows): an hourly, primary-region,
 * pay-as-you-go Virtual Machines meter in westeurope unless the fields say otherwise.
 *
 * @example
 * retailPriceRow({ retailPrice: 0.2, armSkuName: 'Standard_D4s_v5' })
 */
export function retailPriceRow(
  fields: Partial<RetailPriceItem> & Pick<RetailPriceItem, 'retailPrice'>,
): RetailPriceItem {
  return {
    unitPrice: fields.retailPrice,
    unitOfMeasure: '1 Hour',
    armRegionName: 'westeurope',
    armSkuName: '',
    meterName: '',
    productName: '',
    skuName: '',
    serviceName: 'Virtual Machines',
    type: 'Consumption',
    isPrimaryMeterRegion: true,
    ...fields,
  };
}

export interface PriceQuery {
  serviceName: string;
  armRegionName: string;
  armSkuName?: string;
  skuName?: string;
  productName?: string;
}

/** A source of pay-as-you-go (`Consumption`) list prices in one currency. */
export interface PriceCatalogue {
  readonly currency: string;
  /** Where the prices come from, as shown to people. */
  readonly source: string;
  /** Consumption items matching every field of `query`; throws a coded error when it cannot look. */
  find(query: PriceQuery): Promise<RetailPriceItem[]>;
}

/** The fields of {@link PriceQuery} in the order they are sent. */
export const QUERY_FIELDS = [
  'serviceName',
  'armRegionName',
  'armSkuName',
  'skuName',
  'productName',
] as const;

/**
 * A catalogue over written rows (the demo's table, tests): the same equality filters as the API.
 *
 * @example
 * const prices = createStaticPriceCatalogue(DEMO_PRICE_ROWS, { currency: 'USD', source: 'demo price table' });
 */
export function createStaticPriceCatalogue(
  rows: readonly RetailPriceItem[],
  options: { currency: string; source: string },
): PriceCatalogue {
  return {
    currency: options.currency,
    source: options.source,
    async find(query) {
      return rows.filter(
        (row) =>
          row.type === 'Consumption' &&
          QUERY_FIELDS.every((field) => query[field] === undefined || row[field] === query[field]),
      );
    },
  };
}
