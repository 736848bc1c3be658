import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { HttpError } from '../errors.js';
import type { AzureEndpoints } from './azure-clouds.js';
import { classifyAzureError } from './classify-azure-error.js';
import type { CollectStats } from './collect-stats.js';
import { type CollectTuning, createAzureClients } from './create-azure-clients.js';
import type { PacerClock } from './pacer-clock.js';
import { CHANGES_API_VERSION } from './resource-graph-change-source.js';
import { sendJson } from './send-json.js';
import type { SharedBudget } from './shared-budget.js';

/** How long Resource Graph keeps `resourcechanges` rows (learn.microsoft.com, "Get resource changes"). */
export const CHANGE_HISTORY_RETENTION_MS = 14 * 24 * 3_600_000;

/** The resources Azure recorded a change for in a window, and what asking cost. */
export interface ChangedResources {
  /** Resource ids (as Azure wrote them, each once), created, updated and deleted alike. */
  ids: string[];
  stats: CollectStats;
}

/**
 * Asks Resource Graph's `resourcechanges` table which resources of some subscriptions changed
 * (Create, Update, Delete) between `from` and `to`, following `$skipToken`, paced by the user
 * quota. Any failure is thrown (coded): a change feed that could not be read must force a full
 * scan, never pass for "nothing changed".
 *
 * @example
 * const { ids } = await listChangedResources({ credential, endpoints, subscriptions, from, to });
 */
export async function listChangedResources(options: {
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  subscriptions: readonly string[];
  from: Date;
  to: Date;
  httpClient?: HttpClient;
  tuning?: Partial<CollectTuning>;
  clock?: PacerClock;
  signal?: AbortSignal;
  sharedBudget?: SharedBudget;
}): Promise<ChangedResources> {
  const clients = createAzureClients(options);
  const url = `${options.endpoints.resourceGraph}/providers/Microsoft.ResourceGraph/resources?api-version=${CHANGES_API_VERSION}`;
  const query = [
    'resourcechanges',
    `where todatetime(properties.changeAttributes.timestamp) between (datetime(${options.from.toISOString()}) .. datetime(${options.to.toISOString()}))`,
    'order by id asc',
  ].join(' | ');
  const ids = new Map<string, string>();
  let skipToken: string | undefined;
  try {
    do {
      const page = (await sendJson(clients.graph, {
        url,
        method: 'POST',
        body: {
          subscriptions: options.subscriptions,
          query,
          options: {
            $top: 1000,
            resultFormat: 'objectArray',
            ...(skipToken ? { $skipToken: skipToken } : {}),
          },
        },
        ...(options.signal ? { signal: options.signal } : {}),
      })) as { data?: unknown; $skipToken?: string };
      if (!Array.isArray(page?.data))
        throw new HttpError(
          'azure.malformed-response',
          'Resource Graph answered without a "data" array',
        );
      for (const row of page.data as Array<{ properties?: { targetResourceId?: unknown } }>) {
        const id = row?.properties?.targetResourceId;
        if (typeof id !== 'string')
          throw new HttpError(
            'azure.malformed-response',
            'a resourcechanges row has no targetResourceId',
          );
        if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id);
      }
      skipToken =
        typeof page.$skipToken === 'string' && page.$skipToken ? page.$skipToken : undefined;
    } while (skipToken);
  } catch (error) {
    throw classifyAzureError(error, 'Resource Graph resourcechanges query');
  }
  return { ids: [...ids.values()], stats: { ...clients.stats } };
}
