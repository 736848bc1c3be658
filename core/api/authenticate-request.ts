import type { ApiConfig } from '../config/sections/api-config.js';
import { ApiError } from './api-error.js';
import { API_KEY_PREFIX, matchApiKey } from './api-key.js';
import type { ApiPrincipal } from './api-principal.js';
import type { EntraVerifier } from './verify-entra-token.js';

/** Resolves the caller from the `Authorization` header, or throws 401. */
export type Authenticate = (authorization: string | undefined) => Promise<ApiPrincipal>;

const HOW =
  'send Authorization: Bearer <key> with an API key from the api.keys config, or an Entra ID access token for the API';

/**
 * The API's authentication: `Authorization: Bearer dwk_…` is an API key (matched by its SHA-256
 * against `api.keys`); any other bearer token is an Entra ID access token when `api.entra` is
 * configured. Anything else is 401; the refusal never echoes the credential.
 *
 * @example
 * const authenticate = createAuthenticator(config.api, createEntraVerifier(config.api.entra, { clock }));
 */
export function createAuthenticator(
  api: ApiConfig | undefined,
  entra?: EntraVerifier,
): Authenticate {
  const keys = api?.keys ?? [];
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new ApiError('unauthenticated', `no credentials: ${HOW}`);
    }
    const credential = match[1];
    if (credential.startsWith(API_KEY_PREFIX)) {
      const key = matchApiKey(keys, credential);
      if (!key) throw new ApiError('unauthenticated', `unknown API key: ${HOW}`);
      return { id: `api-key:${key.name}`, kind: 'api-key', read: key.read, change: key.change };
    }
    if (!entra) {
      throw new ApiError(
        'unauthenticated',
        `Entra ID tokens are not accepted here (no api.entra in the config): ${HOW}`,
      );
    }
    try {
      return await entra(credential);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const kind =
        code === 'api.no-role'
          ? 'forbidden'
          : code === 'api.entra-metadata'
            ? 'auth-unavailable'
            : 'unauthenticated';
      throw new ApiError(kind, (error as Error).message, { cause: error });
    }
  };
}
