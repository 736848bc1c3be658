import type { RouteResult, SimRoute } from './devops-sim-routes.js';
import type { SimProject, WireObject } from './devops-sim-seed.js';

/** A run queued through `POST {project}/_apis/pipelines/{id}/runs`, as the simulator keeps it. */
export interface SimQueuedRun {
  id: number;
  project: string;
  pipelineId: number;
  /** The request body exactly as received. */
  body: WireObject;
  /** The wire object `GET …/runs/{id}` answers. */
  wire: WireObject;
  /** GETs of this run answered so far. */
  polls: number;
}

/** How queued runs progress (per test): `inProgress` for some polls, then `completed` with a result. */
export interface SimRunControls {
  /** The result a run completes with (default `succeeded`). */
  result: 'succeeded' | 'failed' | 'canceled';
  /** GETs of a run answered `inProgress` before it completes (default 1). */
  pollsBeforeDone: number;
  /** While true, runs stay `inProgress` (a test kills a process meanwhile). */
  hold: boolean;
  /** Called once as a run completes: a test deploys the baseline back into the ARM simulator. */
  onComplete?: (run: SimQueuedRun) => void;
  /** Every run queued, in order: the count the concurrency tests assert. */
  queued: SimQueuedRun[];
}

// Runs - Run Pipeline (api-version 7.1): the body fields the service accepts.
const BODY_KEYS = [
  'resources',
  'templateParameters',
  'variables',
  'stagesToSkip',
  'previewRun',
  'yamlOverride',
];

/**
 * The pipeline run routes of the simulator: queue a run (`POST …/pipelines/{id}/runs`, scope
 * `vso.build_execute`) and read one (`GET …/pipelines/{id}/runs/{runId}`). A body it does not
 * understand (unknown field, preview run, a resource other than `self`'s `refName`, a
 * non-string parameter) fails the test through `unexpected`.
 */
export function createRunRoutes(
  controls: SimRunControls,
  orgUrl: () => string,
  now: () => number,
  firstRunId: number,
): SimRoute[] {
  let nextId = firstRunId;
  return [
    {
      method: 'POST',
      pattern: /^([^/]+)\/_apis\/pipelines\/(\d+)\/runs$/,
      scope: 'vso.build_execute',
      query: ['pipelineVersion'],
      handle: ({ project, params, body }) => {
        if (!project) return projectMissing();
        const pipeline = project.pipelines.find((p) => String(p.id) === params[1]);
        if (!pipeline) return pipelineMissing(params[1]);
        const why = notUnderstood(body);
        if (why) return { status: 400, why };
        const request = body as WireObject;
        const id = nextId++;
        const name = String(project.project.name);
        const refName =
          ((request.resources as WireObject | undefined)?.repositories as WireObject | undefined)
            ?.self !== undefined
            ? String(
                (((request.resources as WireObject).repositories as WireObject).self as WireObject)
                  .refName,
              )
            : 'refs/heads/main';
        const base = `${orgUrl()}/${name}`;
        const wire: WireObject = {
          _links: {
            self: { href: `${base}/_apis/pipelines/${pipeline.id}/runs/${id}` },
            web: { href: `${base}/_build/results?buildId=${id}` },
            pipeline: { href: `${base}/_apis/pipelines/${pipeline.id}?revision=1` },
          },
          pipeline: {
            id: pipeline.id,
            name: pipeline.name,
            folder: pipeline.folder ?? '\\',
            revision: 1,
            url: `${base}/_apis/pipelines/${pipeline.id}?revision=1`,
          },
          state: 'inProgress',
          createdDate: new Date(now()).toISOString(),
          url: `${base}/_apis/pipelines/${pipeline.id}/runs/${id}`,
          resources: { repositories: { self: { refName, version: 'f'.repeat(40) } } },
          ...(request.templateParameters ? { templateParameters: request.templateParameters } : {}),
          id,
          name: `20261127.${id}`,
        };
        controls.queued.push({
          id,
          project: name,
          pipelineId: Number(pipeline.id),
          body: request,
          wire,
          polls: 0,
        });
        return { status: 200, body: wire };
      },
    },
    {
      pattern: /^([^/]+)\/_apis\/pipelines\/(\d+)\/runs\/(\d+)$/,
      scope: 'vso.build',
      query: [],
      handle: ({ project, params }) => {
        if (!project) return projectMissing();
        const run = controls.queued.find(
          (r) =>
            r.project === project.project.name &&
            String(r.pipelineId) === params[1] &&
            String(r.id) === params[2],
        );
        if (!run)
          return {
            status: 404,
            body: { message: `Run ${params[2]} not found.`, typeKey: 'RunNotFoundException' },
          };
        run.polls += 1;
        if (
          run.wire.state !== 'completed' &&
          !controls.hold &&
          run.polls > controls.pollsBeforeDone
        ) {
          run.wire.state = 'completed';
          run.wire.result = controls.result;
          run.wire.finishedDate = new Date(now()).toISOString();
          controls.onComplete?.(run);
        }
        return { status: 200, body: run.wire };
      },
    },
  ];
}

/** Why a Run Pipeline body is not one the simulator understands, or undefined. */
function notUnderstood(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the body is not a JSON object';
  const request = body as WireObject;
  const unknown = Object.keys(request).find((k) => !BODY_KEYS.includes(k));
  if (unknown) return `unknown body field "${unknown}"`;
  if (request.previewRun !== undefined) return 'previewRun is not simulated';
  if (request.yamlOverride !== undefined) return 'yamlOverride is not simulated';
  if (request.variables !== undefined) return 'queue-time variables are not simulated';
  if (request.stagesToSkip !== undefined) return 'stagesToSkip is not simulated';
  if (request.resources !== undefined) {
    const repos = (request.resources as WireObject).repositories as WireObject | undefined;
    const keys = Object.keys(request.resources as WireObject);
    if (keys.join() !== 'repositories' || !repos || Object.keys(repos).join() !== 'self')
      return 'resources other than repositories.self are not simulated';
    const self = repos.self as WireObject;
    if (
      Object.keys(self).join() !== 'refName' ||
      !/^refs\/(heads|tags)\/\S+$/.test(String(self.refName))
    )
      return 'resources.repositories.self must be { refName: "refs/heads/…" }';
  }
  if (request.templateParameters !== undefined) {
    const params = request.templateParameters;
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      return 'templateParameters is not an object';
    const bad = Object.entries(params).find(([, v]) => typeof v !== 'string');
    if (bad) return `templateParameters.${bad[0]} is not a string`;
  }
  return undefined;
}

function projectMissing(): RouteResult {
  return {
    status: 404,
    body: {
      message: 'TF200016: The following project does not exist.',
      typeKey: 'ProjectDoesNotExistWithNameException',
    },
  };
}

function pipelineMissing(id: string | undefined): RouteResult {
  return {
    status: 404,
    body: { message: `Pipeline with id ${id} not found.`, typeKey: 'PipelineNotFoundException' },
  };
}

/** The highest run or build id in a seed, so queued runs get fresh ids. */
export function highestRunId(projects: readonly SimProject[]): number {
  let max = 0;
  for (const p of projects) {
    for (const runs of Object.values(p.runs))
      for (const r of runs) max = Math.max(max, Number(r.id));
    for (const b of p.builds) max = Math.max(max, Number(b.id));
  }
  return max;
}
