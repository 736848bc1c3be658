import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { HttpError } from '../errors.js';
import type { AzureEndpoints } from './azure-clouds.js';
import { buildTypeCountQuery } from './build-graph-query.js';
import { classifyAzureError } from './classify-azure-error.js';
import type { CollectTarget } from './collect-scope-types.js';
import { GRAPH_API_VERSION } from './collect-via-graph.js';
import { type CollectTuning, createAzureClients } from './create-azure-clients.js';
import { sendJson } from './send-json.js';
import type { SharedBudget } from './shared-budget.js';

/**
 * Lower-case subscription id → resource type (as Azure first spelled it; types differing only in
 * case are one) → how many resources of it.
 */
export type TypeCounts = Map<string, Map<string, number>>;

const lower = (s: string) => s.toLowerCase();

/**
 * How many resources of each type every subscription of a scope holds, the scope's filters
 * applied — what a coordinator needs to split a big subscription into balanced shards: one
 * Resource Graph `summarize count() by subscriptionId, type` query (a page per 1,000
 * subscription-type pairs), drawing on the quota shared with the workers. Any failure is thrown
 * (coded): the caller then does not split.
 *
 * @example
 * const counts = await countResourceTypes({ target, credential, endpoints });
 * counts.get(sub)?.get('microsoft.storage/storageaccounts') // 31_400
 */
export async function countResourceTypes(options: {
  target: CollectTarget;
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  tuning?: Partial<CollectTuning>;
  signal?: AbortSignal;
  sharedBudget?: SharedBudget;
}): Promise<TypeCounts> {
  const clients = createAzureClients(options);
  const seen = new Map(
    options.target.subscriptions.map((s) => [lower(s), new Map<string, [string, number]>()]),
  );
  // Resource Graph lower-cases types; should a row ever spell one otherwise, it is still one type
  // (type filters are case-insensitive), counted under its first spelling.
  const add = (sub: string, type: string, n: number) => {
    const types = seen.get(lower(sub));
    const entry = types?.get(lower(type));
    if (entry) entry[1] += n;
    else types?.set(lower(type), [type, n]);
  };
  try {
    const url = `${options.endpoints.resourceGraph}/providers/Microsoft.ResourceGraph/resources?api-version=${GRAPH_API_VERSION}`;
    const query = buildTypeCountQuery(options.target);
    let skipToken: string | undefined;
    do {
      const page = (await sendJson(clients.graph, {
        url,
        method: 'POST',
        body: {
          subscriptions: options.target.subscriptions,
          query,
          options: {
            $top: 1000,
            resultFormat: 'objectArray',
            ...(skipToken ? { $skipToken: skipToken } : {}),
          },
        },
        ...(options.signal ? { signal: options.signal } : {}),
      })) as { data?: unknown; $skipToken?: string; resultTruncated?: unknown };
      if (!Array.isArray(page?.data))
        throw new HttpError(
          'azure.malformed-response',
          'Resource Graph answered without a "data" array',
        );
      if (page.resultTruncated === true || page.resultTruncated === 'true')
        throw new HttpError('azure.truncated', 'Resource Graph truncated the type counts');
      for (const row of page.data as Array<Record<string, unknown>>) {
        const { subscriptionId, type, count_: n } = row ?? {};
        if (typeof subscriptionId !== 'string' || typeof type !== 'string' || !isCount(n))
          throw new HttpError(
            'azure.malformed-response',
            'a Resource Graph type count row is not { subscriptionId, type, count_ }',
          );
        add(subscriptionId, type, n);
      }
      skipToken =
        typeof page.$skipToken === 'string' && page.$skipToken ? page.$skipToken : undefined;
    } while (skipToken);
  } catch (error) {
    throw classifyAzureError(error, 'counting resources per type');
  }
  return new Map([...seen].map(([sub, types]) => [sub, new Map(types.values())]));
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}
