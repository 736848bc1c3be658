/** Scopes a principal reaches: a list of names, or every scope. */
export type ScopeGrants = readonly string[];

/** Who is calling the API, and what they may read and change. */
export interface ApiPrincipal {
  /** `api-key:<name>` or `entra:<object id>`: the actor recorded in audits and plans. */
  id: string;
  kind: 'api-key' | 'entra';
  /** Entra groups as remediation policies name them (`entra-group:<id>`). */
  groups?: string[];
  read: ScopeGrants;
  change: ScopeGrants;
}

/** What an operation needs on a scope. */
export type ApiAccess = 'read' | 'change';

function grants(list: ScopeGrants, scope: string): boolean {
  const wanted = scope.toLowerCase();
  return list.some((s) => s === '*' || s.toLowerCase() === wanted);
}

/** True when the principal may `access` the scope (change implies read). */
export function mayAccess(principal: ApiPrincipal, scope: string, access: ApiAccess): boolean {
  if (grants(principal.change, scope)) return true;
  return access === 'read' && grants(principal.read, scope);
}
