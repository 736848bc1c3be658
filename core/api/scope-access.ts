import { ApiError } from './api-error.js';
import { type ApiAccess, type ApiPrincipal, mayAccess } from './api-principal.js';

/** 403 unless the principal may `access` the scope; the message says who may. */
export function requireScope(principal: ApiPrincipal, scope: string, access: ApiAccess): void {
  if (mayAccess(principal, scope, access)) return;
  throw new ApiError(
    'forbidden',
    `${principal.id} may not ${access === 'read' ? 'read' : 'change'} scope ${scope}: ${
      access === 'read'
        ? "add it to the key's read list (or give the Entra app role)"
        : "add it to the key's change list (or give the Entra admin role)"
    }`,
    { parameter: 'scope' },
  );
}

/** The scopes named in a comma list (`?scope=a,b`), each checked; undefined when none named. */
export function requestedScopes(
  principal: ApiPrincipal,
  list: string | undefined,
  access: ApiAccess = 'read',
): Set<string> | undefined {
  if (!list) return undefined;
  const scopes = list.split(',');
  for (const scope of scopes) requireScope(principal, scope, access);
  return new Set(scopes.map((s) => s.toLowerCase()));
}
