import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { KeyValue } from '../store/drift-store.js';
import type { DevOpsInventory } from './devops-inventory.js';

/** The store namespace discovery caches inventories in. */
export const INVENTORY_NAMESPACE = 'devops-inventory';

/**
 * Reuses a stored inventory younger than `ttlMs` (and collected no earlier than `notBefore`,
 * when attribution needs data covering a window's end); otherwise discovers and stores the
 * result. Only complete inventories are cached, so a partial read is retried next time.
 *
 * @example
 * const inv = await discoverWithCache({ cache: store.keyValue(INVENTORY_NAMESPACE), key, ttlMs, clock, discover });
 */
export async function discoverWithCache(options: {
  cache: KeyValue<DevOpsInventory>;
  key: string;
  ttlMs: number;
  clock: Clock;
  discover: () => Promise<DevOpsInventory>;
  notBefore?: Date;
  refresh?: boolean;
}): Promise<DevOpsInventory> {
  const now = options.clock.now().getTime();
  if (!options.refresh && options.ttlMs > 0) {
    const cached = await options.cache.get(options.key);
    const at = cached ? Date.parse(cached.collectedAt) : Number.NaN;
    const fresh =
      now - at < options.ttlMs && (!options.notBefore || at >= options.notBefore.getTime());
    if (cached && fresh) return { ...cached, cachedAt: cached.collectedAt };
  }
  const inventory = await options.discover();
  if (inventory.complete && options.ttlMs > 0)
    await options.cache.set(options.key, inventory, options.ttlMs);
  return inventory;
}

/** A cache key for one organization, project selection and set of parts. */
export function inventoryCacheKey(
  orgUrl: string,
  projects: readonly string[] | undefined,
  parts: object,
): string {
  const text = JSON.stringify([
    orgUrl.toLowerCase(),
    [...(projects ?? [])].map((p) => p.toLowerCase()).sort(),
    parts,
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
