import { canonicalLocation, typeFromId } from '../engine/resource-identity.js';
import type { ArmResource } from '../model/resource.js';
import type { PriceQuery, RetailPriceItem } from './price-catalogue.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** How to price one resource: what to ask the catalogue, how to pick the row, how many. */
export interface PriceSpec {
  /** Shown to people: `Standard_D16s_v5 (Linux, westeurope)`. */
  what: string;
  query: PriceQuery;
  pick: (items: readonly RetailPriceItem[]) => RetailPriceItem | undefined;
  /** Instances billed (an App Service plan's workers, a pool's vCores). */
  quantity: number;
}

/** A resource of a priced type that cannot be priced from its properties, and why. */
export interface Unpriceable {
  what: string;
  unpriced: string;
}

const primary = (items: readonly RetailPriceItem[]) =>
  items.filter((i) => i.isPrimaryMeterRegion !== false);
const first = (
  items: readonly RetailPriceItem[],
  test: (i: RetailPriceItem) => boolean,
): RetailPriceItem | undefined => primary(items).find(test);

/**
 * How a resource is priced at list price, by type: a VM by size and OS, an App Service plan by
 * SKU and workers, a SQL database or elastic pool by SKU, a storage account by tier and
 * redundancy (per GB stored), a managed disk by tier, a public IP by SKU. Undefined for a type
 * driftwatch does not price; `Unpriceable` for a priced type whose SKU it cannot map.
 *
 * @example
 * priceSpecOf(vm)?.query // { serviceName: 'Virtual Machines', armRegionName: 'westeurope', armSkuName: 'Standard_D4s_v5' }
 */
export function priceSpecOf(resource: ArmResource): PriceSpec | Unpriceable | undefined {
  const type = (str(resource.type) ?? typeFromId(resource.id)).toLowerCase();
  const region = canonicalLocation(str(resource.location) ?? '');
  const props = obj(resource.properties);
  const sku = obj(resource.sku);
  switch (type) {
    case 'microsoft.compute/virtualmachines':
      return virtualMachine(props, region);
    case 'microsoft.web/serverfarms':
      return appServicePlan(resource, sku, region);
    case 'microsoft.sql/servers/databases':
    case 'microsoft.sql/servers/elasticpools':
      return sqlDatabase(sku, region, type.endsWith('elasticpools'));
    case 'microsoft.storage/storageaccounts':
      return storageAccount(resource, sku, props, region);
    case 'microsoft.compute/disks':
      return managedDisk(sku, props, region);
    case 'microsoft.network/publicipaddresses':
      return publicIp(sku, props, region);
    default:
      return undefined;
  }
}

function virtualMachine(props: Json, region: string): PriceSpec | Unpriceable {
  const size = str(obj(props.hardwareProfile).vmSize);
  if (!size) return { what: 'VM (no size)', unpriced: 'the VM has no hardwareProfile.vmSize' };
  const storage = obj(props.storageProfile);
  const osType = str(obj(storage.osDisk).osType);
  const windows = osType
    ? osType.toLowerCase() === 'windows'
    : obj(props.osProfile).windowsConfiguration !== undefined;
  return {
    what: `${size} (${windows ? 'Windows' : 'Linux'}, ${region})`,
    query: { serviceName: 'Virtual Machines', armRegionName: region, armSkuName: size },
    // Pay-as-you-go rows only: Spot and Low Priority share the armSkuName; Windows rows name it.
    pick: (items) =>
      first(
        items,
        (i) =>
          i.unitOfMeasure === '1 Hour' &&
          !/spot|low priority/i.test(`${i.skuName} ${i.meterName}`) &&
          i.productName.endsWith(' Windows') === windows,
      ),
    quantity: 1,
  };
}

function appServicePlan(resource: ArmResource, sku: Json, region: string): PriceSpec | Unpriceable {
  const name = str(sku.name);
  if (!name) return { what: 'App Service plan (no SKU)', unpriced: 'the plan has no sku.name' };
  const linux =
    (str(resource.kind) ?? '').toLowerCase().includes('linux') ||
    obj(resource.properties).reserved === true;
  // ARM writes P1v3, the price list "P1 v3".
  const skuName = name.replace(/^([A-Za-z]+\d+)(v\d)$/, '$1 $2');
  const workers = typeof sku.capacity === 'number' && sku.capacity > 0 ? sku.capacity : 1;
  return {
    what: `${name} × ${workers} (${linux ? 'Linux' : 'Windows'}, ${region})`,
    query: { serviceName: 'Azure App Service', armRegionName: region, skuName },
    pick: (items) =>
      first(items, (i) => i.unitOfMeasure === '1 Hour' && /linux/i.test(i.productName) === linux),
    quantity: workers,
  };
}

const VCORE_TIERS: Record<string, string> = {
  GP: 'General Purpose',
  BC: 'Business Critical',
  HS: 'Hyperscale',
};

function sqlDatabase(sku: Json, region: string, pool: boolean): PriceSpec | Unpriceable {
  const name = str(sku.name);
  if (!name) return { what: 'SQL database (no SKU)', unpriced: 'no sku.name' };
  const vcore = /^(GP|BC|HS)_(Gen\d)_(\d+)$/i.exec(name);
  if (vcore) {
    const tier = VCORE_TIERS[(vcore[1] as string).toUpperCase()] as string;
    const cores = Number(vcore[3]);
    const productName = `SQL Database ${pool ? 'Elastic Pool' : 'Single'} ${tier} - Compute ${vcore[2]}`;
    return {
      what: `${name} (${cores} vCores, ${region})`,
      query: { serviceName: 'SQL Database', armRegionName: region, productName, skuName: 'vCore' },
      pick: (items) => first(items, (i) => i.unitOfMeasure === '1 Hour'),
      quantity: cores,
    };
  }
  if (pool) {
    const tier = str(sku.tier);
    const capacity = typeof sku.capacity === 'number' ? sku.capacity : undefined;
    if (!tier || !capacity)
      return { what: `${name} pool`, unpriced: 'a DTU pool needs sku.tier and sku.capacity' };
    return {
      what: `${tier} pool, ${capacity} eDTUs (${region})`,
      query: {
        serviceName: 'SQL Database',
        armRegionName: region,
        productName: `SQL Database Elastic Pool - ${tier}`,
        skuName: `${capacity} eDTUs`,
      },
      pick: (items) => first(items, (i) => /^1( Hour|\/Day)$/.test(i.unitOfMeasure)),
      quantity: 1,
    };
  }
  const tier = str(sku.tier) ?? (name === 'Basic' ? 'Basic' : undefined);
  if (!tier) return { what: name, unpriced: 'a DTU database needs sku.tier' };
  return {
    what: `${name} (${tier}, ${region})`,
    query: {
      serviceName: 'SQL Database',
      armRegionName: region,
      productName: `SQL Database Single ${tier}`,
      skuName: name === 'Basic' ? 'B' : name,
    },
    pick: (items) => first(items, (i) => /^1( Hour|\/Day)$/.test(i.unitOfMeasure)),
    quantity: 1,
  };
}

function storageAccount(
  resource: ArmResource,
  sku: Json,
  props: Json,
  region: string,
): PriceSpec | Unpriceable {
  const name = str(sku.name);
  const redundancy = name ? /_(.+)$/.exec(name)?.[1] : undefined;
  if (!name || !redundancy)
    return {
      what: `storage account ${name ?? '(no SKU)'}`,
      unpriced: 'no sku.name such as Standard_LRS',
    };
  if (str(resource.kind) !== 'StorageV2' || name.startsWith('Premium'))
    return {
      what: `${name} (${str(resource.kind) ?? 'no kind'})`,
      unpriced: 'only StorageV2 standard accounts are priced',
    };
  const tier = str(props.accessTier) ?? 'Hot';
  return {
    what: `${tier} ${redundancy} (${region})`,
    query: {
      serviceName: 'Storage',
      armRegionName: region,
      productName: 'General Block Blob v2',
      skuName: `${tier} ${redundancy}`,
    },
    pick: (items) =>
      first(items, (i) => i.meterName.endsWith('Data Stored') && i.unitOfMeasure === '1 GB/Month'),
    quantity: 1,
  };
}

/** Managed disk tiers by size: the smallest tier whose size holds the disk (GiB). */
const DISK_SIZES = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767];
const DISK_TIERS = [1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80];
const DISK_FAMILIES: Record<string, { letter: string; product: string }> = {
  premium: { letter: 'P', product: 'Premium SSD Managed Disks' },
  standardssd: { letter: 'E', product: 'Standard SSD Managed Disks' },
  standard: { letter: 'S', product: 'Standard HDD Managed Disks' },
};

function managedDisk(sku: Json, props: Json, region: string): PriceSpec | Unpriceable {
  const name = str(sku.name) ?? '';
  const [family, redundancy] = name.split('_');
  const kind = DISK_FAMILIES[(family ?? '').toLowerCase()];
  const size = typeof props.diskSizeGB === 'number' ? props.diskSizeGB : undefined;
  if (!kind || !redundancy)
    return {
      what: `disk ${name || '(no SKU)'}`,
      unpriced: 'only Premium, Standard SSD and Standard HDD disks are priced by tier',
    };
  const at = size === undefined ? -1 : DISK_SIZES.findIndex((s) => size <= s);
  if (at === -1)
    return {
      what: `${name} disk`,
      unpriced: 'the disk size is unknown or beyond the largest tier',
    };
  // Standard HDD starts at S4; smaller disks bill as S4.
  const tierNumber = kind.letter === 'S' ? Math.max(4, DISK_TIERS[at] as number) : DISK_TIERS[at];
  const tier = `${kind.letter}${tierNumber}`;
  return {
    what: `${tier} ${redundancy} (${size} GiB, ${region})`,
    query: {
      serviceName: 'Storage',
      armRegionName: region,
      productName: kind.product,
      skuName: `${tier} ${redundancy}`,
    },
    pick: (items) =>
      first(items, (i) => i.meterName.endsWith(' Disk') && i.unitOfMeasure === '1/Month'),
    quantity: 1,
  };
}

function publicIp(sku: Json, props: Json, region: string): PriceSpec {
  const name = str(sku.name) ?? 'Basic';
  const method = str(props.publicIPAllocationMethod) ?? 'Dynamic';
  const v6 = str(props.publicIPAddressVersion) === 'IPv6';
  return {
    what: `${name} ${method.toLowerCase()} ${v6 ? 'IPv6' : 'IPv4'} (${region})`,
    query: {
      serviceName: 'Virtual Network',
      armRegionName: region,
      productName: 'IP Addresses',
      skuName: name,
    },
    pick: (items) =>
      first(
        items,
        (i) =>
          i.unitOfMeasure === '1 Hour' &&
          i.meterName.toLowerCase().includes(method.toLowerCase()) &&
          i.meterName.includes('IPv6') === v6,
      ),
    quantity: 1,
  };
}
