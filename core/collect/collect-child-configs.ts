import type { ArmResource, SnapshotError } from '../model/resource.js';
import type { CollectRun } from './collect-scope-types.js';
import { mapLimit } from './map-limit.js';
import { readResource } from './read-resource.js';
import { resolveApiVersions } from './resolve-api-versions.js';

/**
 * Configuration ARM exposes only as a sub-resource, which neither the resources list nor Resource
 * Graph's `resources` table returns — e.g. an App Service's `config/web` (TLS version, FTPS,
 * remote debugging), which is where much security drift happens.
 */
export const CHILD_CONFIGS: ReadonlyArray<{ parentType: string; path: string; type: string }> = [
  { parentType: 'microsoft.web/sites', path: 'config/web', type: 'Microsoft.Web/sites/config' },
  {
    parentType: 'microsoft.web/sites/slots',
    path: 'config/web',
    type: 'Microsoft.Web/sites/slots/config',
  },
];

const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';

/**
 * GETs the child configuration of every collected parent (not excluded by the scope's filters)
 * that was not itself among the collected resources.
 */
export async function collectChildConfigs(
  run: CollectRun,
  parents: readonly ArmResource[],
): Promise<{ resources: ArmResource[]; errors: SnapshotError[] }> {
  const excluded = new Set((run.target.excludeTypes ?? []).map((t) => t.toLowerCase()));
  // A child the list (or Resource Graph) already returned is not read a second time.
  const collected = new Set(parents.map((p) => p.id.toLowerCase()));
  const jobs: Array<{ id: string; type: string; subscriptionId: string }> = [];
  for (const parent of parents) {
    for (const child of CHILD_CONFIGS) {
      if (parent.type?.toLowerCase() !== child.parentType || excluded.has(child.type.toLowerCase()))
        continue;
      const id = `${parent.id}/${child.path}`;
      if (collected.has(id.toLowerCase())) continue;
      jobs.push({
        id,
        type: child.type,
        subscriptionId: subscriptionOf(parent.id),
      });
    }
  }
  const resources: ArmResource[] = [];
  const errors: SnapshotError[] = [];
  if (jobs.length === 0) return { resources, errors };
  run.progress({ phase: 'reading', total: jobs.length });
  await mapLimit(jobs, run.clients.tuning.concurrency, async (job) => {
    const apiVersion = (await resolveApiVersions(run, job.subscriptionId))[job.type.toLowerCase()];
    const outcome = await readResource(run, { ...job, apiVersion });
    if (outcome.kind === 'resource') resources.push(outcome.resource);
    if (outcome.kind === 'error') errors.push(outcome.error);
    run.progress({ done: 1 });
  });
  return { resources, errors };
}
