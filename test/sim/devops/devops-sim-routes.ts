import type { SimProject, WireObject } from './devops-sim-seed.js';

/** What a data route answers: a body, or a 404 with a TF error, plus an optional continuation. */
export type RouteResult =
  | { status: 200; body: unknown; continuationToken?: string }
  | { status: 404; body: { message: string; typeKey: string } }
  /** A request the simulator does not understand: answered 400 and recorded in `unexpected`. */
  | { status: 400; why: string };

/** A data route: the PAT scope it needs, the query keys it understands, and its handler. */
export interface SimRoute {
  /** Default GET. */
  method?: 'GET' | 'POST';
  pattern: RegExp;
  scope: string;
  query: readonly string[];
  handle(input: {
    project: SimProject | undefined;
    projects: readonly SimProject[];
    params: string[];
    query: URLSearchParams;
    maxPageSize: number;
    /** The parsed JSON body of a POST. */
    body?: unknown;
  }): RouteResult;
}

const PAGING = ['$top', 'continuationToken'] as const;

/** Data routes below `/{organization}/`; the first capture is the project, when there is one. */
export const SIM_ROUTES: readonly SimRoute[] = [
  {
    pattern: /^_apis\/projects$/,
    scope: 'vso.project',
    query: [...PAGING, '$skip', 'stateFilter'],
    handle: ({ projects, query, maxPageSize }) => {
      const skip = Number(query.get('$skip') ?? 0);
      return paged(
        projects.slice(skip).map((p) => p.project),
        query,
        maxPageSize,
      );
    },
  },
  {
    pattern: /^_apis\/projects\/([^/]+)$/,
    scope: 'vso.project',
    query: ['includeCapabilities', 'includeHistory'],
    handle: ({ project }) => (project ? ok(project.project) : projectMissing()),
  },
  {
    pattern: /^([^/]+)\/_apis\/git\/repositories$/,
    scope: 'vso.code',
    query: ['includeLinks', 'includeAllUrls', 'includeHidden'],
    handle: ({ project }) => withProject(project, (p) => list(p.repositories)),
  },
  {
    pattern: /^([^/]+)\/_apis\/git\/repositories\/([^/]+)\/commits$/,
    scope: 'vso.code',
    query: [
      '$top',
      '$skip',
      'searchCriteria.$top',
      'searchCriteria.$skip',
      'searchCriteria.itemVersion.version',
      'searchCriteria.itemVersion.versionType',
    ],
    handle: ({ project, params, query }) =>
      withProject(project, (p) => {
        const repo = p.repositories.find((r) => r.id === params[1] || r.name === params[1]);
        if (!repo)
          return notFound(
            'GitRepositoryNotFoundException',
            `TF401019: The Git repository with name or identifier ${params[1]} does not exist or you do not have permissions for the operation you are attempting.`,
          );
        const skip = Number(query.get('searchCriteria.$skip') ?? query.get('$skip') ?? 0);
        const top = Number(query.get('searchCriteria.$top') ?? query.get('$top') ?? 100);
        return list((p.commits[String(repo.id)] ?? []).slice(skip, skip + top));
      }),
  },
  {
    pattern: /^([^/]+)\/_apis\/build\/builds$/,
    scope: 'vso.build',
    query: [...PAGING, 'definitions', 'minTime', 'maxTime', 'queryOrder'],
    handle: ({ project, query, maxPageSize }) =>
      withProject(project, (p) => {
        const definitions = query.get('definitions')?.split(',').map(Number);
        const min = query.get('minTime');
        const max = query.get('maxTime');
        const builds = p.builds.filter((b) => {
          const at = Date.parse(String(b.finishTime ?? b.queueTime));
          if (definitions && !definitions.includes(Number((b.definition as WireObject)?.id)))
            return false;
          if (min && at < Date.parse(min)) return false;
          return !(max && at > Date.parse(max));
        });
        return paged(builds, query, maxPageSize);
      }),
  },
  {
    pattern: /^([^/]+)\/_apis\/pipelines$/,
    scope: 'vso.build',
    query: [...PAGING, 'orderBy'],
    handle: ({ project, query, maxPageSize }) =>
      withProject(project, (p) => paged(p.pipelines, query, maxPageSize)),
  },
  {
    pattern: /^([^/]+)\/_apis\/pipelines\/(\d+)\/runs$/,
    scope: 'vso.build',
    query: [],
    handle: ({ project, params }) =>
      withProject(project, (p) => {
        const runs = p.runs[String(params[1])];
        return runs
          ? list(runs)
          : notFound('PipelineNotFoundException', `Pipeline with id ${params[1]} not found.`);
      }),
  },
  {
    pattern: /^([^/]+)\/_apis\/distributedtask\/environments$/,
    scope: 'vso.environment_manage',
    query: [...PAGING, 'name'],
    handle: ({ project, query, maxPageSize }) =>
      withProject(project, (p) => paged(p.environments, query, maxPageSize)),
  },
  {
    pattern: /^([^/]+)\/_apis\/distributedtask\/environments\/(\d+)\/environmentdeploymentrecords$/,
    scope: 'vso.environment_manage',
    query: ['top', 'continuationToken'],
    handle: ({ project, params, query, maxPageSize }) =>
      withProject(project, (p) => {
        const records = p.deploymentRecords[String(params[1])];
        if (!records)
          return notFound('EnvironmentNotFoundException', `Environment ${params[1]} not found.`);
        return paged(records, query, maxPageSize, 'top');
      }),
  },
  {
    pattern: /^([^/]+)\/_apis\/release\/definitions$/,
    scope: 'vso.release',
    query: [...PAGING, '$expand', 'queryOrder'],
    handle: ({ project, query, maxPageSize }) =>
      withProject(project, (p) => paged(p.releaseDefinitions, query, maxPageSize)),
  },
];

function ok(body: unknown): RouteResult {
  return { status: 200, body };
}

function list(items: readonly unknown[]): RouteResult {
  return ok({ count: items.length, value: items });
}

/** `$top` (capped by the page size) plus an opaque continuation token in `x-ms-continuationtoken`. */
function paged(
  items: readonly unknown[],
  query: URLSearchParams,
  maxPageSize: number,
  topKey = '$top',
): RouteResult {
  const token = query.get('continuationToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').slice(2)) : 0;
  const top = Math.min(Number(query.get(topKey) ?? maxPageSize), maxPageSize);
  const page = items.slice(start, start + top);
  const next = start + top < items.length ? start + top : undefined;
  const result: RouteResult = { status: 200, body: { count: page.length, value: page } };
  if (next !== undefined) result.continuationToken = Buffer.from(`o:${next}`).toString('base64url');
  return result;
}

function withProject(
  project: SimProject | undefined,
  handle: (project: SimProject) => RouteResult,
): RouteResult {
  return project ? handle(project) : projectMissing();
}

function projectMissing(): RouteResult {
  return notFound(
    'ProjectDoesNotExistWithNameException',
    'TF200016: The following project does not exist. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.',
  );
}

function notFound(typeKey: string, message: string): RouteResult {
  return { status: 404, body: { message, typeKey } };
}
