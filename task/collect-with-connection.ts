import type { AzureEndpoints } from '../core/collect/azure-clouds.js';
import { collectScope } from '../core/collect/collect-scope.js';
import type { CollectTarget } from '../core/collect/collect-scope-types.js';
import { createCredential } from '../core/collect/create-credential.js';
import type { CollectScopeFn } from './run-drift-gate.js';

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * Collects a scope through the collectors with the service connection's credential, ARM endpoint
 * and authority: the real agent names https://management.azure.com/, a private cloud (or the
 * simulator in tests) its own, so no other switch is needed.
 */
export const collectWithConnection: CollectScopeFn = ({ name, scope, connection, signal }) => {
  const endpoints: AzureEndpoints = {
    resourceManager: trim(connection.armEndpoint),
    resourceGraph: trim(connection.armEndpoint),
    authorityHost: trim(connection.authorityHost),
    audience: trim(connection.audience),
  };
  const target: CollectTarget = { name, subscriptions: scope.subscriptions };
  if (scope.resourceGroups) target.resourceGroups = scope.resourceGroups;
  if (scope.includeTypes) target.includeTypes = scope.includeTypes;
  if (scope.excludeTypes) target.excludeTypes = scope.excludeTypes;
  if (scope.tags) target.tags = scope.tags;
  return collectScope({
    target,
    credential: createCredential(connection.credential, { authorityHost: endpoints.authorityHost }),
    endpoints,
    ...(scope.via ? { via: scope.via } : {}),
    signal,
  });
};
