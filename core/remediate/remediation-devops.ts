import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { QueueRunRequest } from '../devops/devops-api.js';
import type { DevOpsRun } from '../devops/devops-inventory.js';
import { type DevOpsSession, type OpenDevOpsOptions, openDevOps } from '../devops/open-devops.js';
import { requireDevOpsConfig, resolveDevOpsAuth } from '../devops/resolve-devops-auth.js';
import { runDevOpsDiscovery } from '../devops/run-devops-discovery.js';
import { UsageError } from '../errors.js';
import type { DriftStore } from '../store/drift-store.js';
import { inferOwningPipeline } from './infer-owning-pipeline.js';

/** A YAML pipeline of a project. */
export interface PipelineRef {
  project: string;
  id: number;
  name: string;
}

/**
 * The Azure DevOps side of `redeploy`, as a port: the pipelines of a project, the inventory
 * (for inferring the owning pipeline), and queueing and reading one run. Every call goes through
 * the rate-limited DevOps adapter.
 */
export interface RemediationDevOps {
  orgUrl: string;
  /** A project's YAML pipeline by id or by name (case-insensitive); an error lists the pipelines. */
  findPipeline(o: {
    project: string;
    pipelineId?: number;
    pipeline?: string;
  }): Promise<PipelineRef>;
  /**
   * The pipeline that owns these resources of a scope, inferred from the DevOps inventory
   * (cached in the store for `devops.cacheTtl`) as attribution maps deployments to targets.
   */
  inferPipeline(o: {
    scope: string;
    resourceIds: readonly string[];
  }): Promise<PipelineRef & { why: string }>;
  queueRun(o: QueueRunRequest): Promise<DevOpsRun>;
  getRun(o: { project: string; pipelineId: number; runId: number }): Promise<DevOpsRun>;
}

/**
 * The real adapter over one rate-limited session (clustered through Redis when the store is
 * Redis), opened on first use from `devops:` (orgUrl, auth, requestsPerMinute) and the
 * environment's token. `close()` stops its limiter.
 *
 * @example
 * const devops = createRemediationDevOps({ config, env, store, clock });
 */
export function createRemediationDevOps(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  store: DriftStore;
  clock: Clock;
  entraCredential?: () => TokenCredential;
  /** Tests pass a session factory with a fast budget; the default is {@link openDevOps}. */
  openSession?: (options: OpenDevOpsOptions) => DevOpsSession;
}): RemediationDevOps & { close(): Promise<void> } {
  const { config, env, clock } = options;
  const open = options.openSession ?? openDevOps;
  const redisUrl = config.store.redisUrl;
  let session: DevOpsSession | undefined;
  const lazy = () => {
    if (session) return session;
    const { config: devops, orgUrl } = requireDevOpsConfig(config.devops);
    session = open({
      orgUrl,
      auth: resolveDevOpsAuth(devops, env, options.entraCredential),
      requestsPerMinute: devops.requestsPerMinute,
      clock,
      ...(redisUrl ? { redisUrl } : {}),
    });
    return session;
  };
  return {
    get orgUrl() {
      return requireDevOpsConfig(config.devops).orgUrl.replace(/\/+$/, '');
    },
    async findPipeline({ project, pipelineId, pipeline }) {
      const pipelines = await lazy().api.listPipelines({ project });
      const found = pipelines.find((p) =>
        pipelineId !== undefined
          ? p.id === pipelineId
          : p.name.toLowerCase() === (pipeline ?? '').toLowerCase(),
      );
      if (!found)
        throw new UsageError(
          'usage.no-pipeline',
          `project ${project} has no pipeline ${pipelineId ?? `"${pipeline}"`}; its pipelines: ${pipelines.map((p) => `${p.name} (id ${p.id})`).join(', ') || 'none'}`,
        );
      return { project, id: found.id, name: found.name };
    },
    async inferPipeline({ scope, resourceIds }) {
      const current = lazy();
      const { config: devops } = requireDevOpsConfig(config.devops);
      const inventory = await runDevOpsDiscovery({
        config: config.devops,
        env,
        store: options.store,
        clock,
        ...(redisUrl ? { redisUrl } : {}),
        ...(options.entraCredential ? { entraCredential: options.entraCredential } : {}),
        // Discovery spends the same budget: a session on this session's limiter.
        openSession: (o) => open({ ...o, limiter: current.limiter }),
      });
      return inferOwningPipeline({ inventory, devops, scopes: config.scopes, scope, resourceIds });
    },
    queueRun: (request) => lazy().api.queueRun(request),
    getRun: (o) => lazy().api.getRun(o),
    close: async () => {
      await session?.close();
      session = undefined;
    },
  };
}
