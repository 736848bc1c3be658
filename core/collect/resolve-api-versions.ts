import { classifyAzureError, isAbort } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';

/** Resolved api-versions of one subscription: lower-case full type → version. */
export type ApiVersions = Record<string, string>;

/**
 * The newest stable api-version in a list (dates sort as strings); previews only when a type
 * has nothing else.
 *
 * @example
 * pickApiVersion(['2023-01-01', '2024-05-01-preview', '2023-09-01']) // '2023-09-01'
 */
export function pickApiVersion(versions: readonly string[]): string | undefined {
  const sorted = [...versions].sort().reverse();
  return sorted.find((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)) ?? sorted[0];
}

/**
 * Api-versions for every type of a subscription, from the providers API once per run and cached
 * in the store (`api-versions` key-value area) for `apiVersionTtlMs`.
 */
export function resolveApiVersions(run: CollectRun, subscriptionId: string): Promise<ApiVersions> {
  const key = subscriptionId.toLowerCase();
  let resolved = run.apiVersions.get(key);
  if (!resolved) {
    resolved = fetchApiVersions(run, subscriptionId);
    run.apiVersions.set(key, resolved);
  }
  return resolved;
}

async function fetchApiVersions(run: CollectRun, subscriptionId: string): Promise<ApiVersions> {
  const { clients, store, signal } = run;
  const cache = store?.keyValue<ApiVersions>('api-versions');
  const key = `${clients.endpoints.resourceManager}|${subscriptionId.toLowerCase()}`;
  const cached = await cache?.get(key);
  if (cached) return cached;
  const versions: ApiVersions = {};
  try {
    for await (const provider of clients
      .arm(subscriptionId)
      .providers.list(signal ? { abortSignal: signal } : {})) {
      for (const type of provider.resourceTypes ?? []) {
        const picked = pickApiVersion(type.apiVersions ?? []);
        if (picked && type.resourceType)
          versions[`${provider.namespace}/${type.resourceType}`.toLowerCase()] = picked;
      }
    }
  } catch (error) {
    if (isAbort(error, signal)) throw error;
    throw classifyAzureError(error, `resource providers of subscription ${subscriptionId}`);
  }
  await cache?.set(key, versions, clients.tuning.apiVersionTtlMs);
  return versions;
}
