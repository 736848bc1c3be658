import type { DevOpsProjectInventory } from './devops-inventory.js';
import type { DiscoverOptions, DiscoveryParts } from './discover-inventory.js';
import { DEPLOYMENTS_PER_ENVIRONMENT, RUNS_PER_PIPELINE } from './discovery-limits.js';

/** Runs one read; a failure is recorded (the inventory becomes partial) and yields undefined. */
export type Attempt = <T>(what: string, read: () => Promise<T>) => Promise<T | undefined>;

/**
 * Reads one project's parts concurrently (the limiter paces them): repositories then their last
 * commits, pipelines then their runs, builds, environments then their deployment records, and
 * classic release definitions. A part that cannot be read at all is listed in `unread`.
 */
export async function discoverProject(
  project: { id: string; name: string },
  parts: DiscoveryParts,
  o: DiscoverOptions,
  attempt: Attempt,
  tick: (label: string, more?: number) => void,
): Promise<DevOpsProjectInventory> {
  const p = project.name;
  const inv: DevOpsProjectInventory = {
    id: project.id,
    name: p,
    repositories: [],
    pipelines: [],
    builds: [],
    environments: [],
    releaseDefinitions: [],
  };
  const steps = [
    parts.repositories,
    parts.pipelines,
    parts.builds,
    parts.environments,
    parts.releases,
  ].filter(Boolean).length;
  tick('', steps);
  const part = async <T>(
    name: NonNullable<DevOpsProjectInventory['unread']>[number],
    what: string,
    read: () => Promise<T>,
  ): Promise<T | undefined> => {
    const result = await attempt(what, read);
    if (result === undefined) inv.unread = [...(inv.unread ?? []), name];
    return result;
  };
  const readRepos = async () => {
    const repos =
      (await part('repositories', `project ${p}: repositories`, () =>
        o.api.listRepositories({ project: p }),
      )) ?? [];
    inv.repositories = repos;
    if (!parts.lastCommits) return;
    const withBranch = repos.filter((r) => r.defaultBranch);
    tick('', withBranch.length);
    await Promise.all(
      withBranch.map(async (repo) => {
        const commit = await attempt(`project ${p}: last commit of ${repo.name}`, () =>
          o.api.getLastCommit({
            project: p,
            repositoryId: repo.id,
            branch: repo.defaultBranch as string,
          }),
        );
        if (commit) repo.lastCommit = commit;
      }),
    );
  };
  const readPipelines = async () => {
    const pipelines =
      (await part('pipelines', `project ${p}: pipelines`, () =>
        o.api.listPipelines({ project: p }),
      )) ?? [];
    tick('', pipelines.length);
    inv.pipelines = await Promise.all(
      pipelines.map(async (pipeline) => {
        const runs = await attempt(`project ${p}: runs of pipeline ${pipeline.name}`, () =>
          o.api.listRuns({
            project: p,
            pipelineId: pipeline.id,
            limit: o.runsPerPipeline ?? RUNS_PER_PIPELINE,
          }),
        );
        return { ...pipeline, runs: runs ?? [] };
      }),
    );
  };
  const readBuilds = async () => {
    inv.builds =
      (await part('builds', `project ${p}: builds`, () =>
        o.api.listBuilds({
          project: p,
          ...(o.buildsSince ? { since: o.buildsSince } : {}),
          limit: o.maxBuilds ?? 5_000,
        }),
      )) ?? [];
  };
  const readEnvironments = async () => {
    const envs =
      (await part('environments', `project ${p}: environments`, () =>
        o.api.listEnvironments({ project: p }),
      )) ?? [];
    tick('', envs.length);
    inv.environments = await Promise.all(
      envs.map(async (env) => {
        const deployments = await attempt(`project ${p}: deployments to ${env.name}`, () =>
          o.api.listDeployments({
            project: p,
            environment: env,
            limit: o.deploymentsPerEnvironment ?? DEPLOYMENTS_PER_ENVIRONMENT,
          }),
        );
        return { ...env, deployments: deployments ?? [] };
      }),
    );
  };
  const readReleases = async () => {
    inv.releaseDefinitions =
      (await part('releaseDefinitions', `project ${p}: classic release definitions`, () =>
        o.api.listReleaseDefinitions({ project: p }),
      )) ?? [];
  };
  await Promise.all([
    parts.repositories && readRepos(),
    parts.pipelines && readPipelines(),
    parts.builds && readBuilds(),
    parts.environments && readEnvironments(),
    parts.releases && readReleases(),
  ]);
  return inv;
}
