import type { TokenCredential } from '@azure/identity';
import type { DeploymentRecord, DeploymentSource } from '../attribution/attribution-sources.js';
import { type Clock, systemClock } from '../clock.js';
import type { DevOpsConfig } from '../config/sections/devops-config.js';
import type { ScopeConfig } from '../config/sections/scope-config.js';
import { describeError } from '../redact/redact-secrets.js';
import type { DriftStore } from '../store/drift-store.js';
import { discoverWithCache, INVENTORY_NAMESPACE } from './cache-inventory.js';
import type { DevOpsInventory } from './devops-inventory.js';
import { discoverInventory } from './discover-inventory.js';
import { DEPLOYMENTS_PER_ENVIRONMENT, RUNS_PER_PIPELINE } from './discovery-limits.js';
import { type DevOpsSession, type OpenDevOpsOptions, openDevOps } from './open-devops.js';
import { resolveDeploymentTargets, type TargetMappings } from './resolve-deployment-targets.js';
import { requireDevOpsConfig, resolveDevOpsAuth } from './resolve-devops-auth.js';

const PARTS = {
  repositories: false,
  lastCommits: false,
  builds: false,
  releases: false,
  pipelines: true,
  environments: true,
};
const PER_ENVIRONMENT = DEPLOYMENTS_PER_ENVIRONMENT;
const PER_PIPELINE = RUNS_PER_PIPELINE;

/** What {@link createDeploymentSource} needs from its host. */
export interface DeploymentSourceDeps {
  env: Record<string, string | undefined>;
  scopes?: Readonly<Record<string, ScopeConfig>>;
  /** Inventories are cached here (namespace `devops-inventory`) for `devops.cacheTtl`. */
  store?: DriftStore;
  redisUrl?: string;
  clock?: Clock;
  entraCredential?: () => TokenCredential;
  /** Opens the session (tests and the bench point it at the simulator). */
  openSession?: (options: OpenDevOpsOptions) => DevOpsSession;
}

/**
 * The attribution step's {@link DeploymentSource} over Azure DevOps discovery: environment
 * deployment records and pipeline runs inside the window, each with the subscriptions / resource
 * groups it targets (see `resolveDeploymentTargets`). Never throws for a read failure: it returns
 * `partial: true` with the reason, so attribution says "unknown" instead of "manual".
 *
 * @example
 * const deployments = createDeploymentSource(config.devops, { env, scopes: config.scopes, store });
 * const report2 = await attributeFindings(report, { deployments, window });
 */
export function createDeploymentSource(
  config: DevOpsConfig,
  deps: DeploymentSourceDeps,
): DeploymentSource {
  const clock = deps.clock ?? systemClock;
  const mappings: TargetMappings = {
    targets: config.targets,
    applications: config.applications,
    scopes: deps.scopes ?? {},
  };
  return {
    async listDeployments({ from, to, signal }) {
      let inventory: DevOpsInventory;
      try {
        const { orgUrl } = requireDevOpsConfig(config);
        const open = deps.openSession ?? openDevOps;
        const session = open({
          orgUrl,
          auth: resolveDevOpsAuth(config, deps.env, deps.entraCredential),
          requestsPerMinute: config.requestsPerMinute,
          clock,
          ...(deps.redisUrl ? { redisUrl: deps.redisUrl } : {}),
          ...(signal ? { signal } : {}),
        });
        const discover = () =>
          discoverInventory({
            api: session.api,
            orgUrl,
            stats: session.connection.stats,
            clock,
            parts: PARTS,
            deploymentsPerEnvironment: PER_ENVIRONMENT,
            runsPerPipeline: PER_PIPELINE,
            ...(config.projects ? { projects: config.projects } : {}),
            ...(signal ? { signal } : {}),
          });
        try {
          inventory = deps.store
            ? await discoverWithCache({
                cache: deps.store.keyValue<DevOpsInventory>(INVENTORY_NAMESPACE),
                scope: { orgUrl, projects: config.projects, parts: PARTS },
                verifiedIdentity: session.verifiedIdentity,
                ttlMs: config.cacheTtl,
                clock,
                discover,
                notBefore: to,
              })
            : await discover();
        } finally {
          await session.close();
        }
      } catch (error) {
        return {
          deployments: [],
          partial: true,
          errors: [`Azure DevOps could not be read: ${describeError(error)}`],
        };
      }
      return deploymentsInWindow(inventory, { from, to }, mappings);
    },
  };
}

/** Deployment records and runs overlapping the window, newest first, with their targets. */
export function deploymentsInWindow(
  inventory: DevOpsInventory,
  window: { from: Date; to: Date },
  mappings: TargetMappings,
): { deployments: DeploymentRecord[]; partial: boolean; errors: string[] } {
  const errors = inventory.errors.map((e) => `${e.what}: ${e.message}`);
  const records = new Map<string, DeploymentRecord>();
  const inWindow = (start?: string, end?: string) => {
    if (!start) return false;
    return (
      Date.parse(start) <= window.to.getTime() &&
      Date.parse(end ?? window.to.toISOString()) >= window.from.getTime()
    );
  };
  let truncated = false;
  for (const project of inventory.projects) {
    for (const env of project.environments) {
      const oldest = env.deployments.at(-1)?.startedAt;
      if (
        env.deployments.length >= PER_ENVIRONMENT &&
        oldest &&
        Date.parse(oldest) > window.from.getTime()
      )
        truncated = true;
      for (const d of env.deployments.filter((d) => inWindow(d.startedAt, d.finishedAt))) {
        const record: DeploymentRecord = {
          pipeline: d.pipeline.name,
          runId: String(d.run.id),
          environment: env.name,
          startedAt: d.startedAt as string,
          targets: resolveDeploymentTargets(
            { pipeline: d.pipeline.name, environment: env.name },
            mappings,
          ),
        };
        if (d.url) record.url = d.url;
        if (d.finishedAt) record.finishedAt = d.finishedAt;
        if (d.result) record.result = d.result;
        records.set(`${project.name}/${d.pipeline.id}/${d.run.id}/${env.name}`, record);
      }
    }
    for (const pipeline of project.pipelines) {
      const oldest = pipeline.runs.at(-1)?.createdAt;
      if (
        pipeline.runs.length >= PER_PIPELINE &&
        oldest &&
        Date.parse(oldest) > window.from.getTime()
      )
        truncated = true;
      for (const run of pipeline.runs.filter((r) => inWindow(r.createdAt, r.finishedAt))) {
        const covered = [...records.keys()].some((k) =>
          k.startsWith(`${project.name}/${pipeline.id}/${run.id}/`),
        );
        if (covered) continue;
        const record: DeploymentRecord = {
          pipeline: pipeline.name,
          runId: String(run.id),
          startedAt: run.createdAt as string,
          targets: resolveDeploymentTargets({ pipeline: pipeline.name }, mappings),
        };
        if (run.url) record.url = run.url;
        if (run.finishedAt) record.finishedAt = run.finishedAt;
        if (run.result) record.result = run.result;
        records.set(`${project.name}/${pipeline.id}/${run.id}/`, record);
      }
    }
  }
  if (truncated) errors.push('more deployments in the window than were read');
  const deployments = [...records.values()].sort(
    (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt),
  );
  return { deployments, partial: !inventory.complete || truncated, errors };
}
