import { knownScopes } from '../../commands/resolve-scope.js';
import { ApiError } from '../api-error.js';
import { defineRoute } from '../api-route.js';
import { IdParam, ScanJob, ScanRequest } from '../api-schemas.js';
import type { ScanJobRecord } from '../scan-jobs.js';
import { requireScope } from '../scope-access.js';
import { resultLinks } from './result-routes.js';

const API = '/api/v1';

function jobBody(deps: { pagePath: string }, job: ScanJobRecord) {
  return {
    ...job,
    links: {
      self: `${API}/scans/${job.id}`,
      ...(job.resultId
        ? {
            result: resultLinks(deps, job.resultId).self,
            page: resultLinks(deps, job.resultId).page,
          }
        : {}),
    },
  };
}

/** `POST /scans`: starts a scan of a named scope as a job. */
export const startScan = defineRoute({
  method: 'POST',
  path: '/scans',
  operationId: 'startScan',
  summary: 'Starts a scan of a named scope as a job (202 with the job; poll GET /scans/{id})',
  access: 'read',
  body: ScanRequest,
  response: { status: 202, schema: ScanJob, description: 'The job, queued' },
  async handle({ body, principal, deps }) {
    const scopes = await knownScopes(deps.config, deps.store);
    const scope = scopes.find((s) => s.toLowerCase() === body.scope.toLowerCase());
    if (!scope) {
      throw new ApiError(
        'bad-parameter',
        `scope: unknown scope "${body.scope}"; known scopes: ${scopes.join(', ') || 'none yet'}`,
        { parameter: 'scope' },
      );
    }
    requireScope(principal, scope, 'read');
    const job = await deps.jobs.start(scope, principal.id);
    return { status: 202, body: jobBody(deps, job) };
  },
});

/** `GET /scans/{id}`: a scan job's state, progress and result link. */
export const getScan = defineRoute({
  method: 'GET',
  path: '/scans/{id}',
  operationId: 'getScan',
  summary: 'A scan job: state, progress and, when done, the result link',
  access: 'read',
  params: IdParam,
  response: { status: 200, schema: ScanJob, description: 'The job' },
  async handle({ params, principal, deps }) {
    const job = await deps.jobs.get(params.id);
    if (!job) {
      throw new ApiError('not-found', `no scan job ${params.id} (jobs are kept for 7 days)`, {
        parameter: 'id',
      });
    }
    requireScope(principal, job.scope, 'read');
    return { status: 200, body: jobBody(deps, job) };
  },
});
