import type { IBuildApi } from 'azure-devops-node-api/BuildApi.js';
import type { ClientApiBase } from 'azure-devops-node-api/ClientApiBases.js';
import type { ICoreApi } from 'azure-devops-node-api/CoreApi.js';
import type { IGitApi } from 'azure-devops-node-api/GitApi.js';
import { GitVersionType } from 'azure-devops-node-api/interfaces/GitInterfaces.js';
import type { IPipelinesApi } from 'azure-devops-node-api/PipelinesApi.js';
import type { IReleaseApi } from 'azure-devops-node-api/ReleaseApi.js';
import type { ITaskAgentApi } from 'azure-devops-node-api/TaskAgentApi.js';
import { AuthError, DriftwatchError, HttpError } from '../errors.js';
import { classifyDevOpsError, type DevOpsArea } from './classify-devops-error.js';
import type { DevOpsConnection } from './devops-client.js';
import type {
  DevOpsBuild,
  DevOpsCommit,
  DevOpsDeployment,
  DevOpsPipeline,
  DevOpsReleaseDefinition,
  DevOpsRepository,
  DevOpsRun,
} from './devops-inventory.js';
import {
  toBuild,
  toCommit,
  toDeployment,
  toPipeline,
  toReleaseDefinition,
  toRepository,
  toRun,
} from './map-devops-wire.js';
import { readAllPages } from './read-all-pages.js';

type Loose = Record<string, unknown>;

/** Page size asked for on paged lists (the service may return fewer and a continuation token). */
const PAGE = 200;

/**
 * `_apis/connectionData` is a preview resource (Location area, learn.microsoft.com/rest/api/
 * azure/devops/locations/connection-data): without an api-version it is answered as whatever
 * version the service defaults to, or refused. The SDK's `WebApi.connect()` sends none.
 */
export const CONNECTION_DATA_API_VERSION = '7.1-preview.1';

/** Who the credential signed in as (`_apis/connectionData` → `authenticatedUser`). */
export interface DevOpsIdentity {
  id: string;
  name?: string;
}

/**
 * The narrow adapter over `azure-devops-node-api`: every positional SDK call lives here, behind
 * functions with named options that return driftwatch's inventory types and throw coded errors.
 */
export interface DevOpsApi {
  /**
   * Verifies the organization URL and the credentials (`_apis/connectionData`, asked once per
   * adapter: later calls reuse the answer) and says who signed in.
   */
  checkConnection(): Promise<DevOpsIdentity>;
  listProjects(): Promise<{ id: string; name: string }[]>;
  listRepositories(o: { project: string }): Promise<DevOpsRepository[]>;
  /** Last commit on `branch` (e.g. `refs/heads/main`); undefined for an empty repository. */
  getLastCommit(o: {
    project: string;
    repositoryId: string;
    branch: string;
  }): Promise<DevOpsCommit | undefined>;
  listPipelines(o: { project: string }): Promise<Omit<DevOpsPipeline, 'runs'>[]>;
  /** A pipeline's runs, newest first (the service returns up to 10,000; `limit` keeps the newest). */
  listRuns(o: { project: string; pipelineId: number; limit?: number }): Promise<DevOpsRun[]>;
  listBuilds(o: { project: string; since?: Date; limit?: number }): Promise<DevOpsBuild[]>;
  listEnvironments(o: {
    project: string;
  }): Promise<{ id: number; name: string; description?: string }[]>;
  listDeployments(o: {
    project: string;
    environment: { id: number; name: string };
    limit?: number;
  }): Promise<DevOpsDeployment[]>;
  listReleaseDefinitions(o: { project: string }): Promise<DevOpsReleaseDefinition[]>;
  /**
   * Queues one run of a YAML pipeline (Pipelines `Runs - Run Pipeline`, `POST
   * {project}/_apis/pipelines/{id}/runs?api-version=7.1`). Sent once: the request gate never
   * retries a POST except after a 429, which the service answers without queueing anything.
   */
  queueRun(o: QueueRunRequest): Promise<DevOpsRun>;
  /** One run's state and result (`GET {project}/_apis/pipelines/{id}/runs/{runId}?api-version=7.1`). */
  getRun(o: { project: string; pipelineId: number; runId: number }): Promise<DevOpsRun>;
}

/** What {@link DevOpsApi.queueRun} sends: the branch to run from and runtime parameters. */
export interface QueueRunRequest {
  project: string;
  pipelineId: number;
  /** `refs/heads/main`; absent runs the pipeline's default branch. */
  branch?: string;
  templateParameters?: Record<string, string>;
}

/** Pipelines REST version of the run calls (GA; the SDK's own methods ask for 7.2-preview.1). */
export const PIPELINE_RUNS_API_VERSION = '7.1';
const RUNS_LOCATION_ID = '7859261e-d2e9-4a68-b820-a5d84cc5bb3d';

/**
 * The runs URL and request options for `routeValues`, through the SDK's location negotiation at
 * the GA version (the SDK's own run methods ask for a preview version and deserialize dates badly).
 */
async function runsEndpoint(
  api: IPipelinesApi,
  routeValues: { project: string; pipelineId: number; runId?: number },
) {
  const version = await api.vsoClient.getVersioningData(
    PIPELINE_RUNS_API_VERSION,
    'pipelines',
    RUNS_LOCATION_ID,
    routeValues,
  );
  return {
    url: version.requestUrl ?? '',
    options: api.createRequestOptions('application/json', version.apiVersion),
  };
}

/** The body of `Runs - Run Pipeline` for a request: only the fields driftwatch sets. */
export function runPipelineBody(o: QueueRunRequest): Record<string, unknown> {
  return {
    ...(o.branch
      ? {
          resources: {
            repositories: {
              self: {
                refName: o.branch.startsWith('refs/') ? o.branch : `refs/heads/${o.branch}`,
              },
            },
          },
        }
      : {}),
    ...(o.templateParameters && Object.keys(o.templateParameters).length
      ? { templateParameters: o.templateParameters }
      : {}),
  };
}

/** Creates the adapter over an open connection; SDK API objects are created once and governed. */
export function createDevOpsApi(connection: DevOpsConnection): DevOpsApi {
  const { webApi, orgUrl } = connection;
  // One SDK API object per area, governed, with its location table read once: the SDK caches an
  // area's OPTIONS answer only after it arrives, so concurrent first calls would each ask.
  const once = <T extends { http: unknown; rest: unknown; vsoClient: ClientApiBase['vsoClient'] }>(
    make: () => Promise<T>,
    area: string,
  ) => {
    let api: Promise<T> | undefined;
    return () => {
      api ??= make()
        .then(connection.govern)
        .then(async (a) => {
          await a.vsoClient.beginGetLocation(area, '');
          return a;
        })
        .catch((error: unknown) => {
          api = undefined;
          throw error;
        });
      return api;
    };
  };
  const core = once<ICoreApi>(() => webApi.getCoreApi(), 'core');
  const git = once<IGitApi>(() => webApi.getGitApi(), 'git');
  const build = once<IBuildApi>(() => webApi.getBuildApi(), 'build');
  const pipelines = once<IPipelinesApi>(() => webApi.getPipelinesApi(), 'pipelines');
  const taskAgent = once<ITaskAgentApi>(() => webApi.getTaskAgentApi(), 'distributedtask');
  const release = once<IReleaseApi>(() => webApi.getReleaseApi(), 'Release');

  async function call<T>(
    what: string,
    area: DevOpsArea | undefined,
    run: () => Promise<T | undefined | null>,
  ): Promise<T> {
    let result: T | undefined | null;
    try {
      result = await run();
    } catch (error) {
      throw classifyDevOpsError(error, { what, orgUrl, ...(area ? { area } : {}) });
    }
    // typed-rest-client answers 404 with a null result: never read that as "nothing there".
    if (result === null || result === undefined) {
      throw new HttpError(
        'devops.not-found',
        `Azure DevOps has no such thing: cannot ${what} (404)`,
        { status: 404, url: orgUrl },
      );
    }
    return result;
  }

  let connected: Promise<DevOpsIdentity> | undefined;
  async function connect(): Promise<DevOpsIdentity> {
    let data: { authenticatedUser?: { id?: unknown; providerDisplayName?: unknown } } | null;
    try {
      const response = await webApi.rest.get<NonNullable<typeof data>>(
        webApi.vsoClient.resolveUrl('/_apis/connectionData'),
        { acceptHeader: `application/json;api-version=${CONNECTION_DATA_API_VERSION}` },
      );
      data = response.result;
    } catch (error) {
      throw classifyDevOpsError(error, { what: 'sign in', orgUrl });
    }
    if (!data) {
      throw new DriftwatchError(
        'devops.org-not-found',
        `no Azure DevOps organization at ${orgUrl} (404); devops.orgUrl should look like https://dev.azure.com/<organization>`,
      );
    }
    const user = data.authenticatedUser;
    // An answer without a user means the credential was not taken: never a verified identity.
    if (typeof user?.id !== 'string' || user.id === '') {
      throw new AuthError(
        'devops.unauthorized',
        `Azure DevOps at ${orgUrl} did not accept the credentials: it named no signed-in user`,
      );
    }
    return {
      id: user.id,
      ...(typeof user.providerDisplayName === 'string' ? { name: user.providerDisplayName } : {}),
    };
  }

  return {
    checkConnection() {
      connected ??= connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      return connected;
    },
    listProjects: () =>
      call('list projects', 'projects', async () => {
        const items = await readAllPages<Loose>(await core(), {
          area: 'core',
          locationId: '603fe2ac-9723-48b9-88ad-09305aa6c6e1',
          apiVersion: '7.1',
          routeValues: {},
          pageSize: PAGE,
        });
        return items?.map((p) => ({ id: String(p.id), name: String(p.name) }));
      }),
    listRepositories: ({ project }) =>
      call(`list Git repositories in project ${project}`, 'git', async () => {
        const repos = await (await git()).getRepositories(project);
        return repos?.map((r) => toRepository(r as unknown as Loose));
      }),
    getLastCommit: ({ project, repositoryId, branch }) =>
      call(
        `read the last commit of repository ${repositoryId} in project ${project}`,
        'git',
        async () => {
          const version = branch.replace(/^refs\/heads\//, '');
          const commits = await (await git()).getCommits(
            repositoryId,
            { $top: 1, itemVersion: { version, versionType: GitVersionType.Branch } },
            project,
          );
          return commits ? { commit: commits[0] } : null;
        },
      ).then(({ commit }) => (commit ? toCommit(commit as unknown as Loose) : undefined)),
    listPipelines: ({ project }) =>
      call(`list pipelines in project ${project}`, 'pipelines', async () => {
        const items = await readAllPages<Loose>(await pipelines(), {
          area: 'pipelines',
          locationId: '28e1305e-2afe-47bf-abaf-cbb0e6a91988',
          apiVersion: '7.1',
          routeValues: { project },
          pageSize: PAGE,
        });
        return items?.map(toPipeline);
      }),
    listRuns: ({ project, pipelineId, limit }) =>
      call(`list runs of pipeline ${pipelineId} in project ${project}`, 'pipelines', async () => {
        const runs = await (await pipelines()).listRuns(project, pipelineId);
        return runs?.slice(0, limit ?? runs.length).map((r) => toRun(r as unknown as Loose));
      }),
    listBuilds: ({ project, since, limit }) =>
      call(`list builds in project ${project}`, 'build', async () => {
        const items = await readAllPages<Loose>(await build(), {
          area: 'build',
          locationId: '0cd358e1-9217-4d94-8269-1c1ee6f93dcf',
          apiVersion: '7.1',
          routeValues: { project },
          query: { minTime: since?.toISOString(), queryOrder: 'finishTimeDescending' },
          pageSize: PAGE,
          ...(limit ? { limit } : {}),
        });
        return items?.map(toBuild);
      }),
    listEnvironments: ({ project }) =>
      call(`list environments in project ${project}`, 'environments', async () => {
        const items = await readAllPages<Loose>(await taskAgent(), {
          area: 'distributedtask',
          locationId: '8572b1fc-2482-47fa-8f74-7e3ed53ee54b',
          apiVersion: '7.1',
          routeValues: { project },
          pageSize: PAGE,
        });
        return items?.map((e) => ({
          id: Number(e.id),
          name: String(e.name),
          ...(typeof e.description === 'string' && e.description
            ? { description: e.description }
            : {}),
        }));
      }),
    listDeployments: ({ project, environment, limit }) =>
      call(
        `list deployments to environment ${environment.name} in project ${project}`,
        'environments',
        async () => {
          const items = await readAllPages<Loose>(await taskAgent(), {
            area: 'distributedtask',
            locationId: '51bb5d21-4305-4ea6-9dbb-b7488af73334',
            apiVersion: '7.1',
            routeValues: { project, environmentId: environment.id },
            topKey: 'top',
            pageSize: PAGE,
            ...(limit ? { limit } : {}),
          });
          return items?.map((d) => toDeployment(d, environment.name));
        },
      ),
    listReleaseDefinitions: ({ project }) =>
      call(`list classic release definitions in project ${project}`, 'release', async () => {
        const items = await readAllPages<Loose>(await release(), {
          area: 'Release',
          locationId: 'd8f96f24-8ea7-4cb6-baab-2df8fc515665',
          apiVersion: '7.1',
          routeValues: { project },
          query: { $expand: 'environments' },
          pageSize: PAGE,
        });
        return items?.map(toReleaseDefinition);
      }),
    queueRun: (request) =>
      call(
        `queue a run of pipeline ${request.pipelineId} in project ${request.project}`,
        'queue',
        async () => {
          // Through the SDK's location negotiation and REST client with the GA version, reading
          // the raw wire run (the SDK's deserializer throws on dates under Node 20).
          const api = await pipelines();
          const { url, options } = await runsEndpoint(api, {
            project: request.project,
            pipelineId: request.pipelineId,
          });
          const response = await api.rest.create<Loose>(url, runPipelineBody(request), options);
          return response.result ? toRun(response.result) : null;
        },
      ),
    getRun: ({ project, pipelineId, runId }) =>
      call(
        `read run ${runId} of pipeline ${pipelineId} in project ${project}`,
        'pipelines',
        async () => {
          const api = await pipelines();
          const { url, options } = await runsEndpoint(api, { project, pipelineId, runId });
          const response = await api.rest.get<Loose>(url, options);
          return response.result ? toRun(response.result) : null;
        },
      ),
  };
}
