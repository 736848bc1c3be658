import { z } from 'zod';
import { AZURE_CLOUD_NAMES } from '../../collect/azure-clouds.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HttpsUrl = z.url({ protocol: /^https$/, error: 'expected an https:// URL' });

/** How to authenticate. Secrets never live here: they come from environment variables. */
export const AzureCredentialConfig = z.strictObject({
  kind: z
    .enum([
      'default',
      'client-secret',
      'client-certificate',
      'federated-token',
      'managed-identity',
      'access-token',
    ])
    .default('default'),
  tenantId: z.string().regex(GUID, 'expected a tenant id (GUID)').optional(),
  clientId: z.string().regex(GUID, 'expected a client (application) id (GUID)').optional(),
  /** PEM file with the private key and certificate (client-certificate). */
  certificatePath: z.string().min(1).optional(),
  /** OIDC token file (federated-token); AZURE_FEDERATED_TOKEN_FILE otherwise. */
  tokenFile: z.string().min(1).optional(),
  /** File holding a bearer token or `az account get-access-token` JSON (access-token). */
  accessTokenFile: z.string().min(1).optional(),
});
export type AzureCredentialConfig = z.infer<typeof AzureCredentialConfig>;

/** Collector tuning; the defaults follow ARM's and Resource Graph's documented limits. */
export const AzureCollectConfig = z.strictObject({
  via: z.enum(['graph', 'arm']).optional(),
  /**
   * `incremental`: re-read only what Azure's change feed says changed since the last complete
   * scan and carry the rest forward; `full` (default): read everything every time.
   */
  mode: z.enum(['full', 'incremental']).optional(),
  /**
   * With Redis (REDIS_URL), scans of several subscriptions are split into one shard per
   * subscription on a BullMQ queue that every `driftwatch worker` and bot replica reads; `false`
   * keeps every scan in the process that started it.
   */
  queue: z.boolean().optional(),
  /**
   * The Redis key prefix of the shard queue and the shared budgets (DRIFTWATCH_QUEUE_PREFIX
   * overrides it); default the store's namespace (`driftwatch`). Every process of one deployment
   * must agree; two deployments on one Redis must not.
   */
  queuePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1–64 letters, digits, `_`, `.` or `-`')
    .optional(),
  /**
   * With the queue, on full Resource Graph scans: a subscription of more than this many resources
   * is read as several shards — groups of resource types of about this many resources each, plus
   * a shard for every other type — so several workers share it (default: one shard each).
   */
  splitAbove: z.number().int().min(100).max(1_000_000).optional(),
  /** With incremental scans, a full scan at least this often (default 24) to catch what feeds miss. */
  fullScanEveryHours: z
    .number()
    .min(0)
    .max(24 * 14)
    .optional(),
  /** Requests in flight per subscription. */
  concurrency: z.number().int().min(1).max(256).optional(),
  /** Per-attempt timeout. */
  timeoutMs: z.number().int().min(1_000).max(600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  /**
   * How long after a scan starts a throttled read (429) is still waited out and sent again,
   * however often (default 30); after it, 429s count against `maxRetries`.
   */
  deadlineMinutes: z.number().int().min(1).max(1_440).optional(),
  /** How long resolved api-versions stay cached in the store. */
  apiVersionTtlHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .optional(),
});
export type AzureCollectConfig = z.infer<typeof AzureCollectConfig>;

/**
 * Azure clouds, endpoints, credentials and collector tuning (issue 3).
 *
 * @example
 * azure:
 *   cloud: AzureUSGovernment
 *   credential: { kind: client-secret, tenantId: …, clientId: … }   # secret: AZURE_CLIENT_SECRET
 */
export const AzureConfig = z.strictObject({
  cloud: z.enum(AZURE_CLOUD_NAMES).optional(),
  endpoints: z
    .strictObject({
      resourceManager: HttpsUrl.optional(),
      resourceGraph: HttpsUrl.optional(),
      authorityHost: HttpsUrl.optional(),
      audience: z.url().optional(),
    })
    .optional(),
  credential: AzureCredentialConfig.optional(),
  collect: AzureCollectConfig.optional(),
});
export type AzureConfig = z.infer<typeof AzureConfig>;
