import { z } from 'zod';

/** Where list prices come from: the public Azure Retail Prices API (no credential). */
export const DEFAULT_PRICES_ENDPOINT = 'https://prices.azure.com/api/retail/prices';

/** Cost estimate settings: off unless enabled, so no command reaches the network unasked. */
export const CostConfig = z.strictObject({
  enabled: z.boolean().default(false),
  endpoint: z
    .url({
      protocol: /^https?$/,
      error: 'expected an http(s) URL such as https://prices.azure.com/api/retail/prices',
    })
    .default(DEFAULT_PRICES_ENDPOINT),
  /** ISO 4217 code the Retail Prices API accepts (`USD`, `EUR`, `GBP`…). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected a three-letter currency code such as USD or EUR')
    .default('USD'),
  /** How long fetched prices are kept in the store, in milliseconds (default one day). */
  cacheTtlMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400_000)
    .default(86_400_000),
  /** Polite pace: at most this many requests per second to the prices endpoint. */
  requestsPerSecond: z.number().min(0.1).max(20).default(4),
});
export type CostConfig = z.infer<typeof CostConfig>;

/** Blast radius and cost impact of findings (README, "Impact: blast radius and cost"). */
export const ImpactConfig = z.strictObject({
  /** Build the dependency graph and each finding's blast radius. */
  enabled: z.boolean().default(true),
  /** References walked from the drifted resource (an NSG → subnet → NIC → VM is 3). */
  maxHops: z.number().int().min(1).max(6).default(3),
  /** Let the documented impact rules raise a severity (never lower it). */
  raiseSeverity: z.boolean().default(true),
  production: z
    .strictObject({
      tagKeys: z.array(z.string().min(1)).min(1).default(['env', 'environment']),
      tagValues: z.array(z.string().min(1)).min(1).default(['prod', 'production']),
    })
    .default({ tagKeys: ['env', 'environment'], tagValues: ['prod', 'production'] }),
  cost: CostConfig.default({
    enabled: false,
    endpoint: DEFAULT_PRICES_ENDPOINT,
    currency: 'USD',
    cacheTtlMs: 86_400_000,
    requestsPerSecond: 4,
  }),
});
export type ImpactConfig = z.infer<typeof ImpactConfig>;

/** The defaults, for hosts that run without a config file section. */
export const DEFAULT_IMPACT_CONFIG: ImpactConfig = ImpactConfig.parse({});
