import { type DriftwatchError, HttpError } from '../errors.js';
import type { SnapshotError } from '../model/resource.js';
import { classifyAzureError, isAbort, isFatal, statusOf } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';
import { mapLimit } from './map-limit.js';
import { sendJson } from './send-json.js';

/** What the scope check found. */
export interface VerifiedScope {
  /** Readable subscriptions (lower-case id) → the scope's groups found there (undefined: all). */
  groups: Map<string, string[] | undefined>;
  /** Subscriptions or groups that could not be checked for a passing reason (5xx, timeouts). */
  unreadable: SnapshotError[];
}

/**
 * Checks every subscription (and resource group) of the scope exists and is readable before
 * collecting, all subscriptions at once. Resource Graph silently leaves out subscriptions it
 * cannot see, so without this a typo or a missing role would look like an empty estate: those
 * are thrown. A check that fails for a passing reason marks that part unreadable instead.
 */
export async function verifyScope(run: CollectRun): Promise<VerifiedScope> {
  const { target } = run;
  const verified: VerifiedScope = { groups: new Map(), unreadable: [] };
  const foundGroups = new Set<string>();
  await mapLimit(target.subscriptions, target.subscriptions.length, async (subscriptionId) => {
    const path = `/subscriptions/${subscriptionId}`;
    const subscription = await check(run, `subscription ${subscriptionId}`, () =>
      sendJson(run.clients.arm(subscriptionId), {
        url: `${run.clients.endpoints.resourceManager}${path}?api-version=2022-12-01`,
        method: 'GET',
        ...(run.signal ? { signal: run.signal } : {}),
      }),
    );
    if (subscription) return verified.unreadable.push(unreadable(path, subscription));
    if (!target.resourceGroups?.length)
      return verified.groups.set(subscriptionId.toLowerCase(), undefined);
    const groups: string[] = [];
    for (const group of target.resourceGroups) {
      const failure = await check(
        run,
        `resource group ${group} in subscription ${subscriptionId}`,
        () =>
          run.clients
            .arm(subscriptionId)
            .resourceGroups.get(group, run.signal ? { abortSignal: run.signal } : {}),
      );
      // A group may live in only some of the scope's subscriptions; it must exist in one.
      if (failure?.code === 'azure.resource-group-not-found') continue;
      if (failure) verified.unreadable.push(unreadable(`${path}/resourceGroups/${group}`, failure));
      else foundGroups.add(group.toLowerCase());
      if (!failure) groups.push(group);
    }
    verified.groups.set(subscriptionId.toLowerCase(), groups);
  });
  const missing = (target.resourceGroups ?? []).filter((g) => !foundGroups.has(g.toLowerCase()));
  // Only certain when every subscription could be checked.
  if (missing.length > 0 && verified.unreadable.length === 0) {
    throw new HttpError(
      'azure.resource-group-not-found',
      `resource group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in subscription${target.subscriptions.length > 1 ? 's' : ''} ${target.subscriptions.join(', ')}`,
      { status: 404 },
    );
  }
  return verified;
}

/** Runs one check: undefined when fine; throws when fatal; the error when passing. */
async function check(
  run: CollectRun,
  what: string,
  request: () => Promise<unknown>,
): Promise<DriftwatchError | undefined> {
  try {
    await request();
    return undefined;
  } catch (error) {
    if (isAbort(error, run.signal)) throw error;
    const classified = classifyAzureError(error, what);
    if (isFatal(classified) && classified.code !== 'azure.resource-group-not-found')
      throw classified;
    return classified;
  }
}

function unreadable(id: string, error: DriftwatchError): SnapshotError {
  const status = statusOf(error);
  return {
    id,
    code: error.code,
    message: error.message,
    ...(status !== undefined ? { status } : {}),
  };
}
