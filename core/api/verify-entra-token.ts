import { createRemoteJWKSet, customFetch, errors, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import type { EntraApiConfig } from '../config/sections/api-config.js';
import { AuthError } from '../errors.js';
import type { ApiPrincipal } from './api-principal.js';

/** The fields of the tenant's OpenID metadata we use. */
const OpenIdMetadata = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

/** The claims an Entra v2 access token carries that decide who and what. */
const EntraClaims = z.object({
  oid: z.string().min(1).optional(),
  sub: z.string().min(1),
  tid: z.string().optional(),
  roles: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
});

/** Checks a bearer token; resolves the principal or throws `AuthError` (`api.token-*`). */
export type EntraVerifier = (token: string) => Promise<ApiPrincipal>;

/**
 * Validates Microsoft Entra ID access tokens against the tenant's OpenID metadata
 * (`<authority>/<tenant>/v2.0/.well-known/openid-configuration`): the signature with the keys
 * its `jwks_uri` lists (RS256 only), the issuer it names, the configured audience and the expiry.
 * An app role (`roles`) or group (`groups`) in the token decides read or admin; a valid token
 * with neither is refused. Metadata is fetched on first use and the key set cached by jose.
 *
 * @example
 * const verify = createEntraVerifier(config.api.entra, { fetch, clock });
 * const principal = await verify(bearerToken);
 */
export function createEntraVerifier(
  config: EntraApiConfig,
  deps: { fetch?: typeof fetch; clock: { now(): Date } },
): EntraVerifier {
  const fetchImpl = deps.fetch ?? fetch;
  let keys: Promise<{ issuer: string; jwks: ReturnType<typeof createRemoteJWKSet> }> | undefined;
  const metadataUrl = `${config.authority.replace(/\/+$/, '')}/${config.tenantId}/v2.0/.well-known/openid-configuration`;

  const load = async () => {
    const response = await fetchImpl(metadataUrl);
    if (!response.ok) {
      throw new AuthError(
        'api.entra-metadata',
        `the tenant's OpenID metadata at ${metadataUrl} answered ${response.status}`,
      );
    }
    const metadata = OpenIdMetadata.safeParse(await response.json());
    if (!metadata.success) {
      throw new AuthError(
        'api.entra-metadata',
        `the tenant's OpenID metadata at ${metadataUrl} has no issuer or jwks_uri`,
      );
    }
    const jwks = createRemoteJWKSet(new URL(metadata.data.jwks_uri), {
      [customFetch]: (url, init) => fetchImpl(url, init),
    });
    return { issuer: metadata.data.issuer, jwks };
  };

  return async (token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined; // try the metadata again on the next request
      throw error;
    });
    const { issuer, jwks } = await keys;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: config.audience,
        algorithms: ['RS256'],
        currentDate: deps.clock.now(),
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw refusal(error);
    }
    return principalFor(payload, config);
  };
}

function refusal(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) {
    return new AuthError('api.token-expired', 'the access token has expired', { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    // `claim` names the failed check (iss, aud, nbf …); the message never echoes the token.
    return new AuthError(
      'api.token-invalid',
      `the access token's ${error.claim} claim is not accepted here`,
      { cause: error },
    );
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new AuthError('api.entra-metadata', "the tenant's signing keys could not be read", {
      cause: error,
    });
  }
  return new AuthError('api.token-invalid', 'the access token is not valid (signature or format)', {
    cause: error,
  });
}

function principalFor(payload: JWTPayload, config: EntraApiConfig): ApiPrincipal {
  const claims = EntraClaims.safeParse(payload);
  if (!claims.success) {
    throw new AuthError('api.token-invalid', 'the access token has no subject');
  }
  const { roles = [], groups = [] } = claims.data;
  const admin =
    roles.some((r) => config.adminRoles.includes(r)) ||
    groups.some((g) => config.adminGroups.includes(g));
  const reader =
    admin ||
    roles.some((r) => config.readRoles.includes(r)) ||
    groups.some((g) => config.readGroups.includes(g));
  if (!reader) {
    throw new AuthError(
      'api.no-role',
      `the access token carries none of the app roles ${[...config.readRoles, ...config.adminRoles].join(', ')} or configured groups`,
    );
  }
  return {
    id: `entra:${claims.data.oid ?? claims.data.sub}`,
    kind: 'entra',
    groups: groups.map((g) => `entra-group:${g}`),
    read: config.scopes,
    change: admin ? config.scopes : [],
  };
}
