import { AuthError } from '../errors.js';
import type { ArmResource, SnapshotError } from '../model/resource.js';
import { classifyAzureError, isAbort, isFatal, statusOf } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';
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
 * scope names groups), and GET each by id with the newest stable api-version of its type. A list
 * page that fails records the whole list scope as unreadable; a GET that fails records that one
 * resource. Scope-level auth and not-found errors are thrown.
 *
 * The GETs start with the first list page, beside the rest of the list and the api-version lookup:
 * a subscription's read bucket is full when its scan starts, and every second spent listing
 * first (a page of 1,000 takes a second or more) is refill lost to the full bucket — about 6 s of
 * a 2,500-resource subscription's 90 s when the list came first.
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
  const changedTimes: Record<string, string> = {};
  const unchanged: string[] = [];
  const resources: ArmResource[] = [];
  // A full scan reads every type listed: its api-versions are asked beside the first list page.
  // Incrementally, only once something changed (nothing changed: no lookup at all).
  let versions = known ? undefined : resolveApiVersions(run, subscriptionId);
  versions?.catch(() => undefined); // awaited (and its error thrown) by the first read
  const toRead: Listed[] = [];
  let next = 0;
  let listed = false;
  // Readers that ran out of listed resources wait for the next page (or the list's end).
  let more = nextPage();
  const woken = () => {
    const waited = more;
    more = nextPage();
    waited.resolve();
  };
  const listing = listResources(run, subscriptionId, groups, errors, (page) => {
    let added = 0;
    for (const item of page) {
      const key = lower(item.id);
      if (item.changedTime) changedTimes[key] = item.changedTime;
      if (known && item.changedTime && known[key] === item.changedTime) unchanged.push(key);
      else {
        toRead.push(item);
        added += 1;
      }
    }
    run.progress({ phase: 'reading', total: added });
    woken();
  }).finally(() => {
    listed = true;
    woken();
  });
  const reader = async () => {
    for (;;) {
      if (next >= toRead.length) {
        if (listed) return;
        await more.promise;
        continue;
      }
      const item = toRead[next++] as Listed;
      versions ??= resolveApiVersions(run, subscriptionId);
      const outcome = await readResource(run, {
        subscriptionId,
        id: item.id,
        type: item.type,
        apiVersion: (await versions)[lower(item.type)],
      });
      if (outcome.kind === 'resource') resources.push(outcome.resource);
      if (outcome.kind === 'error') errors.push(outcome.error);
      run.progress({ done: 1 });
    }
  };
  await Promise.all([
    listing,
    ...Array.from({ length: Math.max(1, run.clients.tuning.concurrency) }, reader),
  ]);
  // A full scan that found nothing to read still fails on providers it could not read, as before.
  if (!known) await versions;
  return { resources, errors, changedTimes, unchanged };
}

/** A promise the listing resolves when a page (or the list's end) is in. */
function nextPage(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Lists the resources in scope, handing each page's matches to `onPage` as it arrives. */
async function listResources(
  run: CollectRun,
  subscriptionId: string,
  groups: string[] | undefined,
  errors: SnapshotError[],
  onPage: (items: Listed[]) => void,
): Promise<void> {
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
  for (const scope of scopes) {
    try {
      for await (const page of scope.pages()) {
        const listed: Listed[] = [];
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
        onPage(listed);
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
}
