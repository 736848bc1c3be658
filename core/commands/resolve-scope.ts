import type { DriftwatchConfig } from '../config/config-schema.js';
import { UsageError } from '../errors.js';
import type { DriftStore } from '../store/drift-store.js';

/** Scopes a person can name: configured ones, and any scope with a stored baseline. */
export async function knownScopes(config: DriftwatchConfig, store: DriftStore): Promise<string[]> {
  const names = new Map<string, string>();
  for (const name of Object.keys(config.scopes)) names.set(name.toLowerCase(), name);
  for (const record of await store.listBaselines()) {
    if (!names.has(record.scope.toLowerCase())) names.set(record.scope.toLowerCase(), record.scope);
  }
  return [...names.values()].sort();
}

/**
 * The scope a command means: the one named (checked against known scopes), or the only one
 * there is. Otherwise a {@link UsageError} listing the choices.
 */
export async function resolveScope(
  named: string | undefined,
  config: DriftwatchConfig,
  store: DriftStore,
): Promise<string> {
  const scopes = await knownScopes(config, store);
  const list =
    scopes.length > 0
      ? scopes.join(', ')
      : 'none yet (add one under scopes: in driftwatch.config.yaml)';
  if (named === undefined) {
    const [only, second] = scopes;
    if (only && !second) return only;
    throw new UsageError('usage.scope-needed', `name a scope; known scopes: ${list}`);
  }
  const match = scopes.find((s) => s.toLowerCase() === named.toLowerCase());
  if (!match)
    throw new UsageError('usage.unknown-scope', `unknown scope "${named}"; known scopes: ${list}`);
  return match;
}
