import { z } from 'zod';
import { DURATION_FORMS, parseDuration } from '../../commands/parse-duration.js';
import { ScopeName } from './scope-config.js';

/** A scope name, or `*` for every scope. */
const ScopeGrant = z.union([z.literal('*'), ScopeName]);

/**
 * One API key. Only its SHA-256 is kept (keys are 256 random bits, so a plain digest cannot be
 * reversed by guessing); `driftwatch api-key create` prints the key once and this entry.
 */
export const ApiKeyConfig = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'key names use letters, digits, ".", "_" and "-"'),
  sha256: z
    .string()
    .regex(
      /^[0-9a-f]{64}$/,
      "expected the key's SHA-256 as 64 lower-case hex digits (driftwatch api-key create prints it)",
    ),
  /** Scopes it may read. */
  read: z.array(ScopeGrant).default([]),
  /** Scopes it may change (delete results, restore baselines, remediate); implies read. */
  change: z.array(ScopeGrant).default([]),
});
export type ApiKeyConfig = z.infer<typeof ApiKeyConfig>;

/**
 * Microsoft Entra ID access tokens (v2) for the API: validated against the tenant's OpenID
 * metadata. An app role or a group decides read or admin; `scopes` limits which scopes either
 * reaches.
 */
export const EntraApiConfig = z.strictObject({
  tenantId: z
    .string()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'expected the tenant id (a GUID)',
    ),
  /** The API's Application ID URI or client id, as the token's `aud` carries it. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Where the tenant's metadata is (`<authority>/<tenantId>/v2.0/.well-known/openid-configuration`). */
  authority: z.url().default('https://login.microsoftonline.com'),
  readRoles: z.array(z.string().min(1)).default(['Driftwatch.Read']),
  adminRoles: z.array(z.string().min(1)).default(['Driftwatch.Admin']),
  /** Group object ids (the token's `groups` claim). */
  readGroups: z.array(z.string().min(1)).default([]),
  adminGroups: z.array(z.string().min(1)).default([]),
  scopes: z.array(ScopeGrant).default(['*']),
});
export type EntraApiConfig = z.infer<typeof EntraApiConfig>;

/** The results API and report links (issue 13). */
export const ApiConfig = z.strictObject({
  keys: z
    .array(ApiKeyConfig)
    .default([])
    .check((ctx) => {
      const seen = new Set<string>();
      for (const [i, key] of ctx.value.entries()) {
        if (seen.has(key.name)) {
          ctx.issues.push({
            code: 'custom',
            input: key.name,
            path: [i, 'name'],
            message: `duplicate key name "${key.name}": each key needs its own name`,
          });
        }
        seen.add(key.name);
      }
    }),
  entra: EntraApiConfig.optional(),
  /** How long a report link in a summary stays valid. */
  linkTtl: z
    .string()
    .refine((text) => parseDuration(text) !== undefined, {
      error: `expected a duration: ${DURATION_FORMS}`,
    })
    .default('7d'),
});
export type ApiConfig = z.infer<typeof ApiConfig>;
