import { resourceFromGraphRow } from '../engine/from-graph-row.js';
import { HttpError, isDriftwatchError } from '../errors.js';
import type { ArmResource, SnapshotError } from '../model/resource.js';
import { checkNestingDepth } from '../snapshot/check-nesting-depth.js';
import { buildResourcesQuery } from './build-graph-query.js';
import { classifyAzureError, isAbort, isFatal, statusOf } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';
import { sendJson } from './send-json.js';

/** Resource Graph REST api-version used for `resources` queries. */
export const GRAPH_API_VERSION = '2022-10-01';

interface GraphPage {
  totalRecords?: number;
  count?: number;
  resultTruncated?: string | boolean;
  $skipToken?: string;
  data?: unknown;
}

/** A `resources` row back to the resource body (the engine's own normaliser). */
export const graphRowToResource = resourceFromGraphRow;

/**
 * The fast path: one Resource Graph query over all the scope's subscriptions returns full
 * resource bodies, 1,000 rows a page, following `$skipToken`. Pages are sequential by protocol;
 * the quota pacer spaces them. A page that fails leaves the rest of the scope unread, recorded
 * per subscription (or resource group) so the engine reports those resources `unknown`.
 */
export async function collectViaGraph(
  run: CollectRun,
  ids?: readonly string[],
): Promise<{ resources: ArmResource[]; errors: SnapshotError[] }> {
  if (ids) return collectIdsViaGraph(run, ids);
  return queryGraph(run, buildResourcesQuery(run.target), unreadScopes(run));
}

/**
 * Resource ids per re-read query. Each id is ~150 characters of KQL; 250 keep a query near 40 KB,
 * well inside what Resource Graph accepts, so 1 % of 50,000 resources is two queries.
 */
export const GRAPH_ID_BATCH = 250;

/** Re-reads named resources (an incremental scan): a failed batch makes exactly those unknown. */
async function collectIdsViaGraph(
  run: CollectRun,
  ids: readonly string[],
): Promise<{ resources: ArmResource[]; errors: SnapshotError[] }> {
  const resources: ArmResource[] = [];
  const errors: SnapshotError[] = [];
  for (let i = 0; i < ids.length; i += GRAPH_ID_BATCH) {
    const batch = ids.slice(i, i + GRAPH_ID_BATCH);
    const result = await queryGraph(run, buildResourcesQuery(run.target, batch), batch);
    resources.push(...result.resources);
    errors.push(...result.errors);
  }
  return { resources, errors };
}

async function queryGraph(
  run: CollectRun,
  query: string,
  unread: readonly string[],
): Promise<{ resources: ArmResource[]; errors: SnapshotError[] }> {
  const { target, clients, signal } = run;
  const url = `${clients.endpoints.resourceGraph}/providers/Microsoft.ResourceGraph/resources?api-version=${GRAPH_API_VERSION}`;
  const resources: ArmResource[] = [];
  const rowErrors: SnapshotError[] = [];
  let skipToken: string | undefined;
  do {
    try {
      const page = (await sendJson(clients.graph, {
        url,
        method: 'POST',
        body: {
          subscriptions: target.subscriptions,
          query,
          options: {
            $top: clients.tuning.graphPageSize,
            resultFormat: 'objectArray',
            ...(skipToken ? { $skipToken: skipToken } : {}),
          },
        },
        ...(signal ? { signal } : {}),
      })) as GraphPage;
      if (!Array.isArray(page?.data))
        throw new HttpError(
          'azure.malformed-response',
          'Resource Graph answered without a "data" array',
        );
      if (page.resultTruncated === true || page.resultTruncated === 'true')
        throw new HttpError(
          'azure.truncated',
          'Resource Graph truncated the result (add an "order by id" or narrow the scope)',
        );
      for (const row of page.data as Record<string, unknown>[]) {
        if (typeof row?.id !== 'string')
          throw new HttpError('azure.malformed-response', 'a Resource Graph row has no "id"');
        const tooDeep = nestingError(row);
        if (tooDeep) rowErrors.push(tooDeep);
        else resources.push(graphRowToResource(row));
      }
      const first = skipToken === undefined && typeof page.totalRecords === 'number';
      run.progress({
        phase: 'reading',
        done: page.data.length,
        ...(first ? { total: page.totalRecords } : {}),
      });
      skipToken =
        typeof page.$skipToken === 'string' && page.$skipToken ? page.$skipToken : undefined;
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      const classified = classifyAzureError(error, 'Resource Graph query');
      if (isFatal(classified)) throw classified;
      const status = statusOf(classified);
      return {
        resources,
        errors: [
          ...rowErrors,
          ...unread.map((id) => ({
            id,
            code: classified.code,
            message: classified.message,
            ...(status !== undefined ? { status } : {}),
          })),
        ],
      };
    }
  } while (skipToken);
  return { resources, errors: rowErrors };
}

/**
 * A row nested deeper than a snapshot file may be, as the error that makes it unknown: Azure's
 * answer is untrusted, and such a body would overflow the engine's recursion later, for the
 * whole scan.
 */
function nestingError(row: Record<string, unknown>): SnapshotError | undefined {
  try {
    checkNestingDepth(row, 'the Resource Graph row');
    return undefined;
  } catch (error) {
    if (!isDriftwatchError(error)) throw error;
    return { id: row.id as string, code: error.code, message: error.message };
  }
}

function unreadScopes(run: CollectRun): string[] {
  const { subscriptions, resourceGroups } = run.target;
  return subscriptions.flatMap((s) =>
    resourceGroups?.length
      ? resourceGroups.map((g) => `/subscriptions/${s}/resourceGroups/${g}`)
      : [`/subscriptions/${s}`],
  );
}
