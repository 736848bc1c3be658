import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type {
  ChangeHistorySource,
  ResourceChangeRecord,
} from '../attribution/attribution-sources.js';
import type { AzureEndpoints } from './azure-clouds.js';
import { buildChangesQuery } from './build-graph-query.js';
import { classifyAzureError, isAbort } from './classify-azure-error.js';
import { type CollectTuning, createAzureClients } from './create-azure-clients.js';
import type { PacerClock } from './pacer-clock.js';
import { sendJson } from './send-json.js';
import type { SharedBudget } from './shared-budget.js';

/** `resourcechanges` is served by the same endpoint; 2021-03-01 is the first version with the table. */
export const CHANGES_API_VERSION = '2021-03-01';
/** Resource ids per query: keeps the KQL well under Resource Graph's query length limit. */
export const CHANGES_BATCH = 100;

interface ChangeRow {
  properties?: {
    targetResourceId?: string;
    changeType?: string;
    changeAttributes?: {
      timestamp?: string;
      changedBy?: string;
      clientType?: string;
      operation?: string;
    };
    /** Per property path: `changeCategory` (User | System), `propertyChangeType`, values. */
    changes?: Record<string, { changeCategory?: string } | undefined>;
  };
}

const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];

/** A `resourcechanges` row as the attribution port's record. */
export function toChangeRecord(row: ChangeRow): ResourceChangeRecord | undefined {
  const p = row.properties;
  const at = p?.changeAttributes;
  if (!p?.targetResourceId || !at?.timestamp) return undefined;
  const unspecified = (v: string | undefined) => (v && v !== 'Unspecified' ? v : undefined);
  const record: ResourceChangeRecord = { resourceId: p.targetResourceId, changedAt: at.timestamp };
  if (p.changeType) record.changeType = p.changeType;
  if (unspecified(at.changedBy)) record.changedBy = at.changedBy as string;
  if (unspecified(at.clientType)) record.clientType = at.clientType as string;
  if (unspecified(at.operation)) record.operation = at.operation as string;
  if (p.changes && Object.keys(p.changes).length) {
    record.changedProperties = Object.keys(p.changes);
    record.propertyChanges = Object.entries(p.changes).map(([path, change]) =>
      change?.changeCategory ? { path, category: change.changeCategory } : { path },
    );
  }
  return record;
}

/**
 * The attribution port over Resource Graph's `resourcechanges` table (who changed what, when, with
 * which client): queries in batches of {@link CHANGES_BATCH} resource ids, follows `$skipToken`,
 * and is paced by the same user quota as resource collection. A batch that fails is returned in
 * `errors` (one entry per resource id), never as "no changes".
 *
 * @example
 * const source = createResourceGraphChangeSource({ credential, endpoints });
 * const { changes, errors } = await source.listChanges({ resourceIds, from, to });
 */
export function createResourceGraphChangeSource(options: {
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  tuning?: Partial<CollectTuning>;
  clock?: PacerClock;
  /** The Resource Graph quota shared with other processes of this identity (Redis). */
  sharedBudget?: SharedBudget;
}): ChangeHistorySource {
  const clients = createAzureClients(options);
  const url = `${options.endpoints.resourceGraph}/providers/Microsoft.ResourceGraph/resources?api-version=${CHANGES_API_VERSION}`;
  return {
    async listChanges({ resourceIds, from, to, signal }) {
      const changes: ResourceChangeRecord[] = [];
      const errors: { id: string; message: string }[] = [];
      for (let i = 0; i < resourceIds.length; i += CHANGES_BATCH) {
        const batch = resourceIds.slice(i, i + CHANGES_BATCH);
        const subscriptions = [
          ...new Set(batch.map(subscriptionOf).filter((s): s is string => Boolean(s))),
        ];
        const query = buildChangesQuery(batch, from, to);
        let skipToken: string | undefined;
        try {
          do {
            const page = (await sendJson(clients.graph, {
              url,
              method: 'POST',
              body: {
                subscriptions,
                query,
                options: {
                  $top: 1000,
                  resultFormat: 'objectArray',
                  ...(skipToken ? { $skipToken: skipToken } : {}),
                },
              },
              ...(signal ? { signal } : {}),
            })) as { data?: ChangeRow[]; $skipToken?: string };
            for (const row of page?.data ?? []) {
              const record = toChangeRecord(row);
              if (record) changes.push(record);
            }
            skipToken = page?.$skipToken || undefined;
          } while (skipToken);
        } catch (error) {
          if (isAbort(error, signal)) throw error;
          const message = classifyAzureError(error, 'Resource Graph resourcechanges query').message;
          for (const id of batch) errors.push({ id, message });
        }
      }
      changes.sort((a, b) => a.changedAt.localeCompare(b.changedAt));
      return { changes, errors };
    },
  };
}
