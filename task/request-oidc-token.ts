import { AuthError } from '../core/errors.js';
import { redactSecrets } from '../core/redact/redact-secrets.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The API version Azure Pipelines' OIDC endpoint accepts (as @azure/identity's AzurePipelinesCredential). */
const OIDC_API_VERSION = '7.1';

/**
 * Asks Azure Pipelines for an OIDC token for a workload-identity-federation service connection:
 * POST `{System.OidcRequestUri}?api-version=7.1&serviceConnectionId=<id>` with the job's access
 * token; the answer is `{ "oidcToken": "…" }`. Entra then exchanges it for an access token.
 */
export async function requestOidcToken(options: {
  requestUri: string;
  accessToken: string;
  connectionId: string;
  fetch?: FetchLike;
}): Promise<string> {
  const url = new URL(options.requestUri);
  url.searchParams.set('api-version', OIDC_API_VERSION);
  url.searchParams.set('serviceConnectionId', options.connectionId);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url.toString(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${options.accessToken}`,
        // Without it, Azure DevOps answers an expired token with a sign-in redirect instead of 401.
        'X-TFS-FedAuthRedirect': 'Suppress',
      },
    });
  } catch (error) {
    throw new AuthError(
      'task.oidc-unreachable',
      `cannot reach the OIDC endpoint ${url.origin}: ${redactSecrets((error as Error).message)}`,
      { cause: error },
    );
  }
  const text = await response.text();
  let token: unknown;
  try {
    token = (JSON.parse(text) as { oidcToken?: unknown }).oidcToken;
  } catch {
    token = undefined;
  }
  if (!response.ok || typeof token !== 'string' || token === '') {
    throw new AuthError(
      'task.oidc-refused',
      `the OIDC endpoint answered ${response.status} without an oidcToken${response.ok ? '' : ` (${redactSecrets(text.slice(0, 200))})`}`,
      { details: { status: response.status } },
    );
  }
  return token;
}
