import type { Clock } from '../clock.js';
import { DriftwatchError, isDriftwatchError, UsageError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import type { DevOpsApi } from './devops-api.js';
import type { DevOpsInventory, DevOpsReadError } from './devops-inventory.js';
import { discoverProject } from './discover-project.js';
import { type ApplicationMapping, inferApplications } from './infer-applications.js';
import { errorRate, type RequestStats } from './request-stats.js';

/** Which parts of a project to read; everything by default. */
export interface DiscoveryParts {
  repositories: boolean;
  lastCommits: boolean;
  pipelines: boolean;
  builds: boolean;
  environments: boolean;
  releases: boolean;
}

/** Every part of a project. */
export const ALL_PARTS: DiscoveryParts = {
  repositories: true,
  lastCommits: true,
  pipelines: true,
  builds: true,
  environments: true,
  releases: true,
};

/** Progress: `done` of `total` calls so far (the total grows as lists reveal more work). */
export type DiscoveryProgress = (progress: { done: number; total: number; label: string }) => void;

/** What to discover and with which adapter; see {@link discoverInventory}. */
export interface DiscoverOptions {
  api: DevOpsApi;
  orgUrl: string;
  /** The connection's request accounting, copied into the inventory. */
  stats: RequestStats;
  clock: Clock;
  /** Project names (case-insensitive); every project when omitted. */
  projects?: readonly string[];
  parts?: Partial<DiscoveryParts>;
  /** Builds finished since (default: all, up to `maxBuilds`). */
  buildsSince?: Date;
  maxBuilds?: number;
  /** Newest runs kept per pipeline (default 100, `RUNS_PER_PIPELINE`). */
  runsPerPipeline?: number;
  /** Newest deployment records kept per environment (default 500, `DEPLOYMENTS_PER_ENVIRONMENT`). */
  deploymentsPerEnvironment?: number;
  applications?: readonly ApplicationMapping[];
  onProgress?: DiscoveryProgress;
  signal?: AbortSignal;
}

/**
 * Reads the Azure DevOps inventory: projects, repositories with their default branch's last
 * commit, YAML pipelines and recent runs, builds, environments and deployment records, classic
 * release definitions, and the applications they form. Fails outright only when nothing can be
 * read (wrong org URL, refused credentials, unknown project); anything else that fails is listed
 * in `errors` and the inventory is marked `complete: false`.
 *
 * @example
 * const inventory = await discoverInventory({ api, orgUrl, stats: connection.stats, clock: systemClock });
 */
export async function discoverInventory(options: DiscoverOptions): Promise<DevOpsInventory> {
  try {
    return await discover(options);
  } catch (error) {
    // Interrupted: the caller's reason, not a classified request failure.
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  }
}

async function discover(options: DiscoverOptions): Promise<DevOpsInventory> {
  const { api } = options;
  const parts = { ...ALL_PARTS, ...options.parts };
  const errors: DevOpsReadError[] = [];
  const progress = { done: 0, total: 2 };
  const tick = (label: string, more = 0) => {
    progress.total += more;
    if (label) progress.done += 1;
    options.onProgress?.({ ...progress, label });
  };
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      errors.push({
        what,
        code: isDriftwatchError(error) ? error.code : 'devops.unexpected',
        message: describeError(error),
      });
      return undefined;
    } finally {
      tick(what);
    }
  };

  await api.checkConnection();
  tick('connection');
  const all = await api.listProjects().catch((error: unknown) => {
    throw isDriftwatchError(error)
      ? error
      : new DriftwatchError('devops.unexpected', describeError(error));
  });
  tick('projects');
  const selected = selectProjects(all, options.projects, options.orgUrl);
  const projects = await Promise.all(
    selected.map((p) => discoverProject(p, parts, options, attempt, tick)),
  );
  const applications = projects.flatMap((p) => inferApplications(p, options.applications));
  return {
    orgUrl: options.orgUrl,
    collectedAt: options.clock.now().toISOString(),
    complete: errors.length === 0,
    projects,
    applications,
    errors,
    requests: { ...options.stats, errorRate: Number(errorRate(options.stats).toFixed(4)) },
  };
}

function selectProjects(
  all: { id: string; name: string }[],
  wanted: readonly string[] | undefined,
  orgUrl: string,
) {
  if (!wanted || wanted.length === 0) return all;
  return wanted.map((name) => {
    const found = all.find((p) => p.name.toLowerCase() === name.toLowerCase() || p.id === name);
    if (!found) {
      const known = all.map((p) => p.name).join(', ') || '(none visible to this identity)';
      throw new UsageError(
        'devops.project-not-found',
        `project "${name}" not found in ${orgUrl}; projects: ${known}`,
      );
    }
    return found;
  });
}
