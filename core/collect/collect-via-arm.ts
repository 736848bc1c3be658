import { AuthError } from '../errors.js';
import type { ArmResource, SnapshotError } from '../model/resource.js';
import { classifyAzureError, isAbort, isFatal, statusOf } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';
import { mapLimit } from './map-limit.js';
import { readResource } from './read-resource.js';
import { resolveApiVersions } from './resolve-api-versions.js';

interface Listed {
  id: string;
  type: string;
  /** ARM's `changedTime` (list `$expand=changedTime`), ISO; absent when ARM did not say. */
  changedTime?: string;
}

/** What one subscription's ARM collection found. */
export interface ArmCollected {
  resources: ArmResource[];
  errors: SnapshotError[];
  /** `changedTime` of every listed resource (lower-case id → ISO), for the next incremental scan. */
  changedTimes: Record<string, string>;
  /** Listed resources not read again because their `changedTime` matched `known` (lower-case ids). */
  unchanged: string[];
}

const lower = (s: string) => s.toLowerCase();

/** Client-side filters ARM's list `$filter` cannot combine: excluded types and tags. */
export function matchesTarget(
  resource: { type?: string; tags?: Record<string, string> | undefined },
  target: CollectRun['target'],
): boolean {
  const type = lower(resource.type ?? '');
  if (target.includeTypes?.length && !target.includeTypes.some((t) => lower(t) === type))
    return false;
  if (target.excludeTypes?.some((t) => lower(t) === type)) return false;
  for (const [key, value] of Object.entries(target.tags ?? {})) {
    const found = Object.entries(resource.tags ?? {}).find(([k]) => lower(k) === lower(key));
    if (!found || lower(found[1]) !== lower(value)) return false;
  }
  return true;
}

/**
 * The exact path for one subscription: list the resources in scope (per resource group when the
 * scope names groups), then GET each by id with the newest stable api-version of its type. A list
 * page that fails records the whole list scope as unreadable; a GET that fails records that one
 * resource. Scope-level auth and not-found errors are thrown.
 *
 * The list asks for `$expand=changedTime`: with `known` (lower-case id → the `changedTime` the
 * last complete scan saw), a listed resource whose `changedTime` is unchanged is not read again
 * (it is returned in `unchanged`, to carry forward); new and changed ones are.
 */
export async function collectViaArm(
  run: CollectRun,
  subscriptionId: string,
  groups: string[] | undefined,
  known?: Readonly<Record<string, string>>,
): Promise<ArmCollected> {
  const errors: SnapshotError[] = [];
  const all = await listResources(run, subscriptionId, groups, errors);
  const changedTimes: Record<string, string> = {};
  const unchanged: string[] = [];
  const listed: Listed[] = [];
  for (const item of all) {
    const key = lower(item.id);
    if (item.changedTime) changedTimes[key] = item.changedTime;
    if (known && item.changedTime && known[key] === item.changedTime) unchanged.push(key);
    else listed.push(item);
  }
  run.progress({ phase: 'reading', total: listed.length });
  const resources: ArmResource[] = [];
  // Nothing changed: no api-version lookup either (a full scan still resolves them, as before).
  if (known && listed.length === 0) return { resources, errors, changedTimes, unchanged };
  const versions = await resolveApiVersions(run, subscriptionId);
  await mapLimit(listed, run.clients.tuning.concurrency, async (item) => {
    const outcome = await readResource(run, {
      subscriptionId,
      id: item.id,
      type: item.type,
      apiVersion: versions[lower(item.type)],
    });
    if (outcome.kind === 'resource') resources.push(outcome.resource);
    if (outcome.kind === 'error') errors.push(outcome.error);
    run.progress({ done: 1 });
  });
  return { resources, errors, changedTimes, unchanged };
}

async function listResources(
  run: CollectRun,
  subscriptionId: string,
  groups: string[] | undefined,
  errors: SnapshotError[],
): Promise<Listed[]> {
  const client = run.clients.arm(subscriptionId);
  const types = run.target.includeTypes ?? [];
  const options = {
    // Same request, one more column: what the next incremental scan compares.
    expand: 'changedTime',
    ...(types.length ? { filter: types.map((t) => `resourceType eq '${t}'`).join(' or ') } : {}),
    ...(run.signal ? { abortSignal: run.signal } : {}),
  };
  const scopes = groups
    ? groups.map((g) => ({
        id: `/subscriptions/${subscriptionId}/resourceGroups/${g}`,
        pages: () => client.resources.listByResourceGroup(g, options).byPage(),
      }))
    : [
        {
          id: `/subscriptions/${subscriptionId}`,
          pages: () => client.resources.list(options).byPage(),
        },
      ];
  const listed: Listed[] = [];
  for (const scope of scopes) {
    try {
      for await (const page of scope.pages()) {
        for (const item of page) {
          if (item.id && item.type && matchesTarget(item, run.target))
            listed.push({
              id: item.id,
              type: item.type,
              ...(item.changedTime
                ? { changedTime: new Date(item.changedTime).toISOString() }
                : {}),
            });
        }
        run.progress({ phase: 'listing' });
      }
    } catch (error) {
      if (isAbort(error, run.signal)) throw error;
      const classified = classifyAzureError(error, `listing resources of ${scope.id}`);
      if (isFatal(classified) || classified instanceof AuthError) throw classified;
      const status = statusOf(classified);
      errors.push({
        id: scope.id,
        code: classified.code,
        message: classified.message,
        ...(status !== undefined ? { status } : {}),
      });
    }
  }
  return listed;
}
