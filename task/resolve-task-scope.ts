import type { DriftwatchConfig } from '../core/config/config-schema.js';
import type { ScopeConfig } from '../core/config/sections/scope-config.js';
import { UsageError } from '../core/errors.js';
import type { ServiceConnection } from './service-connection-auth.js';
import type { TaskParameters } from './task-parameters.js';

/**
 * The scope a run collects: inputs first, then the configuration file's scope of that name, then
 * the service connection's subscription.
 */
export function resolveTaskScope(
  params: TaskParameters,
  config: DriftwatchConfig,
  connection: ServiceConnection,
): { name: string; scope: ScopeConfig } {
  const configured = Object.keys(config.scopes);
  const name =
    params.scopeName ??
    (configured.length === 1 ? configured[0] : undefined) ??
    connection.subscriptionId;
  if (!name) {
    throw new UsageError(
      'task.input',
      `Input 'scopeName' is not valid: required, because the service connection '${connection.id}' names no subscription and the configuration defines ${configured.length} scopes`,
      { details: { input: 'scopeName' } },
    );
  }
  const base = config.scopes[name];
  const subscriptions =
    pick(params.subscriptions, base?.subscriptions) ??
    (connection.subscriptionId ? [connection.subscriptionId] : undefined);
  if (!subscriptions) {
    throw new UsageError(
      'task.input',
      `Input 'subscriptions' is not valid: required, because the service connection '${connection.id}' names no subscription (management group scope) and scope "${name}" is not in the configuration`,
      { details: { input: 'subscriptions' } },
    );
  }
  const scope: ScopeConfig = { ...base, subscriptions };
  const resourceGroups = pick(params.resourceGroups, base?.resourceGroups);
  const includeTypes = pick(params.includeTypes, base?.includeTypes);
  const excludeTypes = pick(params.excludeTypes, base?.excludeTypes);
  if (resourceGroups) scope.resourceGroups = resourceGroups;
  if (includeTypes) scope.includeTypes = includeTypes;
  if (excludeTypes) scope.excludeTypes = excludeTypes;
  return { name, scope };
}

function pick(fromInput: string[], fromConfig: string[] | undefined): string[] | undefined {
  if (fromInput.length > 0) return fromInput;
  return fromConfig && fromConfig.length > 0 ? fromConfig : undefined;
}
