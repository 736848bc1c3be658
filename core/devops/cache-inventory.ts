import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { KeyValue } from '../store/drift-store.js';
import type { DevOpsInventory } from './devops-inventory.js';

/** The store namespace discovery caches inventories in. */
export const INVENTORY_NAMESPACE = 'devops-inventory';

/** What a cached inventory was read for: organization, projects and parts. */
export interface InventoryCacheScope {
  orgUrl: string;
  projects?: readonly string[] | undefined;
  parts: object;
}

/**
 * Reuses a stored inventory younger than `ttlMs` (and collected no earlier than `notBefore`,
 * when attribution needs data covering a window's end); otherwise discovers and stores the
 * result. Only complete inventories are cached, so a partial read is retried next time.
 *
 * The credential is verified with the service first, in this run, and the cache is keyed by the
 * identity it signed in as: a refused or different credential is never answered from the cache
 * (a wrong PAT must fail, not print yesterday's inventory with exit 0).
 *
 * @example
 * const inv = await discoverWithCache({ cache, scope: { orgUrl, parts }, ttlMs, clock,
 *   verifiedIdentity: session.verifiedIdentity, discover });
 */
export async function discoverWithCache(options: {
  cache: KeyValue<DevOpsInventory>;
  scope: InventoryCacheScope;
  /** Verifies the credential now and returns a hash of the identity (see `DevOpsSession`). */
  verifiedIdentity: () => Promise<string>;
  ttlMs: number;
  clock: Clock;
  discover: () => Promise<DevOpsInventory>;
  notBefore?: Date;
  refresh?: boolean;
}): Promise<DevOpsInventory> {
  if (options.ttlMs <= 0) return options.discover();
  const key = inventoryCacheKey(options.scope, await options.verifiedIdentity());
  if (!options.refresh) {
    const now = options.clock.now().getTime();
    const cached = await options.cache.get(key);
    const at = cached ? Date.parse(cached.collectedAt) : Number.NaN;
    const fresh =
      now - at < options.ttlMs && (!options.notBefore || at >= options.notBefore.getTime());
    if (cached && fresh) return { ...cached, cachedAt: cached.collectedAt };
  }
  const inventory = await options.discover();
  if (inventory.complete) await options.cache.set(key, inventory, options.ttlMs);
  return inventory;
}

/** A cache key for one organization, identity (already hashed), project selection and parts. */
export function inventoryCacheKey(scope: InventoryCacheScope, identity: string): string {
  const text = JSON.stringify([
    scope.orgUrl.replace(/\/+$/, '').toLowerCase(),
    identity,
    [...(scope.projects ?? [])].map((p) => p.toLowerCase()).sort(),
    scope.parts,
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
