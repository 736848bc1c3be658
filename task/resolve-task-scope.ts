import type { CollectTarget } from '../core/collect/collect-scope-types.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import { UsageError } from '../core/errors.js';
import { type AdHocScope, resolveScanTarget } from '../core/scan/resolve-scan-target.js';
import type { ServiceConnection } from './service-connection-auth.js';
import type { TaskParameters } from './task-parameters.js';

/**
 * The scope a run collects: the inputs, on top of the configuration file's scope of that name,
 * defaulting to the service connection's subscription. Unnamed scopes get the names the CLI and
 * the bot give them (`sub-<id>` for a whole subscription), so all three share one baseline.
 */
export function resolveTaskScope(
  params: TaskParameters,
  config: DriftwatchConfig,
  connection: ServiceConnection,
): CollectTarget & { via?: 'graph' | 'arm' } {
  const configured = Object.keys(config.scopes);
  const name = params.scopeName ?? (configured.length === 1 ? configured[0] : undefined);
  const named = name ? config.scopes[name] : undefined;
  const adHoc: AdHocScope = {
    subscriptions:
      params.subscriptions.length > 0 || named
        ? params.subscriptions
        : connection.subscriptionId
          ? [connection.subscriptionId]
          : [],
    resourceGroups: params.resourceGroups,
    includeTypes: params.includeTypes,
    excludeTypes: params.excludeTypes,
  };
  if (!named && adHoc.subscriptions?.length === 0) {
    throw new UsageError(
      'task.input',
      `Input 'subscriptions' is not valid: required, because the service connection '${connection.id}' names no subscription (management group scope)${name ? ` and scope "${name}" is not in the configuration` : ''}`,
      { details: { input: 'subscriptions' } },
    );
  }
  if (named && name) {
    const { target, via } = resolveScanTarget(config, { name, adHoc });
    return via ? { ...target, via } : target;
  }
  const { target } = resolveScanTarget({ scopes: {} }, { adHoc });
  return name ? { ...target, name } : target;
}
