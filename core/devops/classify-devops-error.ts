import { AuthError, DriftwatchError, HttpError } from '../errors.js';
import { redactSecrets } from '../redact/redact-secrets.js';

/** The PAT scope each API area needs (docs: "Personal access token scopes"). */
export const AREA_SCOPES = {
  projects: { scope: 'vso.project', label: 'Project and Team (Read)' },
  git: { scope: 'vso.code', label: 'Code (Read)' },
  build: { scope: 'vso.build', label: 'Build (Read)' },
  pipelines: { scope: 'vso.build', label: 'Build (Read)' },
  /** Queueing a pipeline run (remediation's `redeploy`). */
  queue: { scope: 'vso.build_execute', label: 'Build (Read & execute)' },
  environments: { scope: 'vso.environment_manage', label: 'Environment (Read & manage)' },
  release: { scope: 'vso.release', label: 'Release (Read)' },
} as const;
/** An Azure DevOps API area driftwatch reads, keyed to the PAT scope it needs. */
export type DevOpsArea = keyof typeof AREA_SCOPES;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/**
 * The one place that turns what `azure-devops-node-api` throws (typed-rest-client errors carry
 * `statusCode` and `responseHeaders`; network errors carry `code`) into coded driftwatch errors
 * that name the thing and what would fix it. `what` describes the call: "list builds in project P".
 */
export function classifyDevOpsError(
  error: unknown,
  context: { what: string; orgUrl: string; area?: DevOpsArea },
): DriftwatchError {
  if (error instanceof DriftwatchError) return error;
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    responseHeaders?: Record<string, string>;
  };
  const detail = redactSecrets(e.message ?? String(error)).split('\n')[0] ?? '';
  const requestId = e.responseHeaders?.['x-vss-e2eid'] ?? e.responseHeaders?.activityid;
  const http = (code: string, message: string) =>
    new HttpError(code, message, {
      cause: error,
      url: context.orgUrl,
      ...(e.statusCode ? { status: e.statusCode } : {}),
      ...(requestId ? { requestId } : {}),
    });
  if (e.code && NETWORK_CODES.has(e.code)) {
    return http(
      'devops.unreachable',
      `cannot reach Azure DevOps at ${context.orgUrl} to ${context.what} (${e.code}); check devops.orgUrl (e.g. https://dev.azure.com/<organization>)`,
    );
  }
  const status = e.statusCode;
  if ((status === 401 || status === 403) && context.area) {
    const need = AREA_SCOPES[context.area];
    return new AuthError(
      'devops.missing-scope',
      `Azure DevOps refused to ${context.what} (${status}): the token needs the ${need.label} scope (${need.scope})`,
      { cause: error, details: { scope: need.scope, status } },
    );
  }
  if (status === 401 || status === 403) {
    return new AuthError(
      'devops.unauthorized',
      `Azure DevOps at ${context.orgUrl} refused the credentials (${status}): the personal access token is expired, revoked or not for this organization, or the Entra identity has no access. ${detail}`,
      { cause: error, details: { status } },
    );
  }
  if (status === 429) {
    return http(
      'devops.throttled',
      `Azure DevOps kept answering 429 (rate limited) to ${context.what} after every retry: ${detail}`,
    );
  }
  if (status !== undefined && status >= 500) {
    return http(
      'devops.server-error',
      `Azure DevOps failed to ${context.what} (${status}) after every retry: ${detail}`,
    );
  }
  if (status === 404) {
    return http(
      'devops.not-found',
      `Azure DevOps has no such thing: cannot ${context.what} (404): ${detail}`,
    );
  }
  return http(
    'devops.request-failed',
    `cannot ${context.what}${status ? ` (${status})` : ''}: ${detail}`,
  );
}
