import type { LoadedConfig } from '../core/config/load-config.js';
import { ScopeName } from '../core/config/sections/scope-config.js';
import { UsageError } from '../core/errors.js';
import type { DriftStore } from '../core/store/drift-store.js';
import type { CliContext } from './cli-context.js';

/** Opens the configured store for the duration of `work`, and always closes it. */
export async function withStore<T>(
  ctx: CliContext,
  loaded: LoadedConfig,
  work: (store: DriftStore) => Promise<T>,
): Promise<T> {
  const store = await ctx.store(loaded);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The scope a store command works on: `--scope`, else `default`; validated like config names. */
export function scopeArgument(value: string | undefined, flag = '--scope'): string {
  const scope = value ?? 'default';
  const parsed = ScopeName.safeParse(scope);
  if (!parsed.success) {
    throw new UsageError(
      'usage.bad-scope',
      `${flag} "${scope}": scope names use letters, digits, ".", "_" and "-" (e.g. prod, team-a.dev)`,
    );
  }
  return scope;
}

/** A positive integer flag value. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(
        'usage.bad-number',
        `${flag} "${value}": expected a whole number of 1 or more`,
      );
    return n;
  };
}
