import { createHash } from 'node:crypto';
import type { CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { ConfigError, UsageError } from '../errors.js';

/** Scope facts given directly (CLI flags, task inputs) instead of, or on top of, a named scope. */
export interface AdHocScope {
  subscriptions?: string[];
  resourceGroups?: string[];
  includeTypes?: string[];
  excludeTypes?: string[];
  tags?: Record<string, string>;
}

/**
 * Resolves what to collect: a named scope from config (`prod`), optionally overridden field by
 * field by ad-hoc values, or an ad-hoc scope alone. Ad-hoc scopes get a stable name so their
 * baseline is found again: `sub-<id>` for one whole subscription, else `adhoc-<hash>`.
 *
 * @example
 * resolveScanTarget(config, { name: 'prod' }).target.subscriptions
 */
export function resolveScanTarget(
  config: Pick<DriftwatchConfig, 'scopes'>,
  input: { name?: string; adHoc?: AdHocScope },
): { target: CollectTarget; via?: CollectVia } {
  const adHoc = input.adHoc ?? {};
  const pick = <K extends keyof AdHocScope>(key: K, fallback: AdHocScope[K]) => {
    const value = adHoc[key];
    const given = Array.isArray(value)
      ? value.length > 0
      : value !== undefined && Object.keys(value).length > 0;
    return given ? value : fallback;
  };
  if (input.name) {
    const named = config.scopes[input.name];
    if (!named) {
      const known = Object.keys(config.scopes);
      throw new ConfigError(
        'config.unknown-scope',
        `no scope named "${input.name}" in the config; ${known.length ? `known scopes: ${known.join(', ')}` : 'define it under "scopes:" or pass --subscription'}`,
      );
    }
    const target = compact({
      name: input.name,
      subscriptions: pick('subscriptions', named.subscriptions) ?? [],
      resourceGroups: pick('resourceGroups', named.resourceGroups),
      includeTypes: pick('includeTypes', named.includeTypes),
      excludeTypes: pick('excludeTypes', named.excludeTypes),
      tags: pick('tags', named.tags),
    });
    return named.via ? { target, via: named.via } : { target };
  }
  if (!adHoc.subscriptions?.length) {
    throw new UsageError(
      'usage.no-scope',
      'say what to scan: a scope name from the config (driftwatch scan prod) or --subscription ID',
    );
  }
  return {
    target: compact({ name: adHocName(adHoc), ...adHoc, subscriptions: adHoc.subscriptions }),
  };
}

function adHocName(adHoc: AdHocScope): string {
  const subs = (adHoc.subscriptions ?? []).map((s) => s.toLowerCase()).sort();
  const plain =
    !adHoc.resourceGroups?.length &&
    !adHoc.includeTypes?.length &&
    !adHoc.excludeTypes?.length &&
    !Object.keys(adHoc.tags ?? {}).length;
  if (plain && subs.length === 1) return `sub-${subs[0]}`;
  const key = JSON.stringify([
    subs,
    (adHoc.resourceGroups ?? []).map((g) => g.toLowerCase()).sort(),
    (adHoc.includeTypes ?? []).map((t) => t.toLowerCase()).sort(),
    (adHoc.excludeTypes ?? []).map((t) => t.toLowerCase()).sort(),
    Object.entries(adHoc.tags ?? {}).sort(),
  ]);
  return `adhoc-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

function compact(target: CollectTarget): CollectTarget {
  const out: CollectTarget = { name: target.name, subscriptions: target.subscriptions };
  if (target.resourceGroups?.length) out.resourceGroups = target.resourceGroups;
  if (target.includeTypes?.length) out.includeTypes = target.includeTypes;
  if (target.excludeTypes?.length) out.excludeTypes = target.excludeTypes;
  if (target.tags && Object.keys(target.tags).length) out.tags = target.tags;
  return out;
}
