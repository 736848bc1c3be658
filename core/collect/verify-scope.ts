import { HttpError } from '../errors.js';
import { classifyAzureError, isAbort } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';
import { sendJson } from './send-json.js';

/** Subscriptions' resource groups that exist, per subscription (lower-case sub id → names). */
export type VerifiedGroups = Map<string, string[] | undefined>;

/**
 * Checks every subscription (and resource group) of the scope exists and is readable before
 * collecting. Resource Graph silently leaves out subscriptions it cannot see, so without this a
 * typo or a missing role would look like an empty estate. Throws the classified error.
 */
export async function verifyScope(run: CollectRun): Promise<VerifiedGroups> {
  const { target, clients, signal } = run;
  const verified: VerifiedGroups = new Map();
  const foundGroups = new Set<string>();
  for (const subscriptionId of target.subscriptions) {
    const client = clients.arm(subscriptionId);
    try {
      await sendJson(client, {
        url: `${clients.endpoints.resourceManager}/subscriptions/${subscriptionId}?api-version=2022-12-01`,
        method: 'GET',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      throw classifyAzureError(error, `subscription ${subscriptionId}`);
    }
    if (!target.resourceGroups?.length) {
      verified.set(subscriptionId.toLowerCase(), undefined);
      continue;
    }
    const groups: string[] = [];
    for (const group of target.resourceGroups) {
      try {
        await client.resourceGroups.get(group, signal ? { abortSignal: signal } : {});
        groups.push(group);
        foundGroups.add(group.toLowerCase());
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        const classified = classifyAzureError(
          error,
          `resource group ${group} in subscription ${subscriptionId}`,
        );
        // A group may live in only some of the scope's subscriptions; it must exist in one.
        if (classified.code !== 'azure.resource-group-not-found') throw classified;
      }
    }
    verified.set(subscriptionId.toLowerCase(), groups);
  }
  const missing = (target.resourceGroups ?? []).filter((g) => !foundGroups.has(g.toLowerCase()));
  if (missing.length > 0) {
    throw new HttpError(
      'azure.resource-group-not-found',
      `resource group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in subscription${target.subscriptions.length > 1 ? 's' : ''} ${target.subscriptions.join(', ')}`,
      { status: 404 },
    );
  }
  return verified;
}
