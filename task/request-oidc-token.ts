import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
} from '@azure/core-rest-pipeline';
import { AuthError } from '../core/errors.js';
import { redactSecrets } from '../core/redact/redact-secrets.js';

/** The API version Azure Pipelines' OIDC endpoint accepts (as @azure/identity's AzurePipelinesCredential). */
const OIDC_API_VERSION = '7.1';

/**
 * Asks Azure Pipelines for an OIDC token for a workload-identity-federation service connection:
 * POST `{System.OidcRequestUri}?api-version=7.1&serviceConnectionId=<id>` with the job's access
 * token; the answer is `{ "oidcToken": "…" }`. Entra then exchanges it for an access token. Sent
 * through the Azure SDK pipeline, so it retries transient failures and honours the agent's proxy.
 */
export async function requestOidcToken(options: {
  requestUri: string;
  accessToken: string;
  connectionId: string;
  httpClient?: HttpClient;
}): Promise<string> {
  const url = new URL(options.requestUri);
  url.searchParams.set('api-version', OIDC_API_VERSION);
  url.searchParams.set('serviceConnectionId', options.connectionId);
  const request = createPipelineRequest({
    url: url.toString(),
    method: 'POST',
    headers: createHttpHeaders({
      'Content-Type': 'application/json',
      Authorization: `Bearer ${options.accessToken}`,
      // Without it, Azure DevOps answers an expired token with a sign-in redirect instead of 401.
      'X-TFS-FedAuthRedirect': 'Suppress',
    }),
  });
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 2 } });
  let status: number;
  let text: string;
  try {
    const response = await pipeline.sendRequest(
      options.httpClient ?? createDefaultHttpClient(),
      request,
    );
    status = response.status;
    text = response.bodyAsText ?? '';
  } catch (error) {
    throw new AuthError(
      'task.oidc-unreachable',
      `cannot reach the OIDC endpoint ${url.origin}: ${redactSecrets((error as Error).message)}`,
      { cause: error },
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { oidcToken?: unknown }).oidcToken;
  } catch {
    token = undefined;
  }
  const ok = status >= 200 && status < 300;
  if (!ok || typeof token !== 'string' || token === '') {
    throw new AuthError(
      'task.oidc-refused',
      `the OIDC endpoint answered ${status} without an oidcToken${ok ? '' : ` (${redactSecrets(text.slice(0, 200))})`}`,
      { details: { status } },
    );
  }
  return token;
}
