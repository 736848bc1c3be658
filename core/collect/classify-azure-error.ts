import { isRestError } from '@azure/core-rest-pipeline';
import { AuthError, type DriftwatchError, HttpError, isDriftwatchError } from '../errors.js';
import { redactSecrets } from '../redact/redact-secrets.js';

/** The one place that reads Azure's error codes and messages (STYLE.md rule 5). */

/** ARM names the missing action in AuthorizationFailed messages: "…perform action 'X' over scope 'Y'…". */
const ACTION = /perform action '([^']+)' over scope '([^']+)'/;

/** Node's (OpenSSL's) codes for a server certificate that could not be verified. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export { isAbort } from './is-abort.js';

/**
 * Turns anything an SDK call threw into a coded driftwatch error that names what was being read
 * (`what`, omitted for a single resource whose id the caller records) and what would fix it:
 * 401 → `auth.*`, an untrusted TLS certificate → `azure.tls-untrusted` (fatal), 403 → `auth.forbidden` with the missing permission, 404 on a subscription or resource group → `azure.*-not-found`, 429/5xx/network → retryable
 * `azure.*` failures, unparseable bodies → `azure.malformed-response`.
 */
export function classifyAzureError(error: unknown, what = ''): DriftwatchError {
  // `what` names the scope for scope-level errors; resource-level errors carry their id elsewhere.
  const at = what ? `${what}: ` : '';
  if (isDriftwatchError(error)) return error;
  if (error instanceof SyntaxError) {
    return new HttpError('azure.malformed-response', `${at}the response was not valid JSON`, {
      cause: error,
    });
  }
  if (!isRestError(error)) {
    const name = error instanceof Error ? error.name : '';
    // MSAL drops the cause (often an untrusted certificate or an unreachable host) and keeps this code.
    if (/endpoints_resolution_error/.test(firstLine(error))) {
      return new AuthError(
        'auth.authority-unreachable',
        'could not get an Azure token: the sign-in endpoint could not be reached or its TLS certificate is not trusted; check azure.endpoints.authorityHost / AZURE_AUTHORITY_HOST and the network or proxy, and for a private CA (a proxy, the ARM simulator) point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)',
        { cause: error },
      );
    }
    if (/CredentialUnavailableError|Authentication\w*Error/.test(name)) {
      return new AuthError('auth.failed', `could not get an Azure token: ${firstLine(error)}`, {
        cause: error,
      });
    }
    return new HttpError('azure.failed', `${at}${firstLine(error)}`, { cause: error });
  }
  const status = error.statusCode;
  const code = error.code ?? '';
  const common = {
    cause: error,
    ...(status !== undefined ? { status } : {}),
    ...(error.request?.url ? { url: redactSecrets(error.request.url) } : {}),
    ...(error.response?.headers.get('x-ms-request-id')
      ? { requestId: error.response.headers.get('x-ms-request-id') as string }
      : {}),
    details: { azureCode: code, ...(status !== undefined ? { status } : {}) },
  };
  const message = firstLine(error);
  if (status === 401) {
    const expired = /Expired/i.test(code) || /expir/i.test(message);
    return new AuthError(
      expired ? 'auth.expired' : 'auth.rejected',
      expired
        ? `${at}the Azure token has expired (${code}); sign in again or refresh the held token`
        : `${at}Azure rejected the credential (${code || 401}): ${message}`,
      common,
    );
  }
  if (status === 403) {
    const m = ACTION.exec(message);
    const detail = m
      ? `missing permission ${m[1]}${what ? ` on ${m[2]}` : ''} (the built-in Reader role grants it)`
      : `${message} (the built-in Reader role on the scope is enough to scan)`;
    return new AuthError('auth.forbidden', `${at}${detail}`, common);
  }
  if (status === 404 && code === 'SubscriptionNotFound')
    return new HttpError(
      'azure.subscription-not-found',
      `${at}${message} Check the subscription id and that the credential's tenant holds it.`,
      common,
    );
  if (status === 404 && code === 'ResourceGroupNotFound')
    return new HttpError('azure.resource-group-not-found', `${at}${message}`, common);
  if (status === 404) return new HttpError('azure.not-found', `${at}${message}`, common);
  if (status === 429)
    return new HttpError(
      'azure.throttled',
      `${at}still throttled after retries (${message})`,
      common,
    );
  if (status !== undefined && status >= 500)
    return new HttpError(
      'azure.unavailable',
      `${at}Azure answered ${status} after retries (${code || message})`,
      common,
    );
  if (code === 'PARSE_ERROR' || /parsing|JSON|Unexpected (end|token)/i.test(message))
    return new HttpError(
      'azure.malformed-response',
      `${at}the response was not valid JSON`,
      common,
    );
  if (TLS_CODES.has(code)) {
    const endpoint = error.request?.url ? new URL(error.request.url).origin : 'the Azure endpoint';
    return new HttpError(
      'azure.tls-untrusted',
      `${at}could not verify the TLS certificate of ${endpoint} (${code}: ${message}); if a private CA signs it (a proxy, the ARM simulator), point NODE_EXTRA_CA_CERTS at that CA's certificate (PEM)`,
      common,
    );
  }
  if (status === undefined) return new HttpError('azure.unreachable', `${at}${message}`, common);
  return new HttpError('azure.failed', `${at}${status} ${code} ${message}`.trim(), common);
}

/** The HTTP status behind a classified error (auth errors keep it in `details`). */
export function statusOf(error: DriftwatchError): number | undefined {
  if (error instanceof HttpError && error.status !== undefined) return error.status;
  const status = error.details.status;
  return typeof status === 'number' ? status : undefined;
}

/** Errors that stop a whole run: the scope or the credential is wrong, retrying cannot help. */
export function isFatal(error: DriftwatchError): boolean {
  return (
    error instanceof AuthError ||
    // Every request to that endpoint fails the same way: one clear error, not a scope of unknowns.
    error.code === 'azure.tls-untrusted' ||
    error.code === 'azure.subscription-not-found' ||
    error.code === 'azure.resource-group-not-found'
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text.split('\n')[0] ?? '');
}
