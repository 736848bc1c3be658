import type { TokenCredential } from '@azure/identity';
import { type Clock, systemClock } from '../clock.js';
import type { DevOpsConfig } from '../config/sections/devops-config.js';
import type { DriftStore } from '../store/drift-store.js';
import { discoverWithCache, INVENTORY_NAMESPACE } from './cache-inventory.js';
import type { DevOpsInventory } from './devops-inventory.js';
import { ALL_PARTS, type DiscoveryProgress, discoverInventory } from './discover-inventory.js';
import { type DevOpsSession, type OpenDevOpsOptions, openDevOps } from './open-devops.js';
import { requireDevOpsConfig, resolveDevOpsAuth } from './resolve-devops-auth.js';

/** Inputs of {@link runDevOpsDiscovery}; `config` is the `devops` section. */
export interface RunDiscoveryOptions {
  config: DevOpsConfig | undefined;
  env: Record<string, string | undefined>;
  /** Overrides `devops.projects`. */
  projects?: readonly string[];
  store?: DriftStore;
  /** Ignore a cached inventory. */
  refresh?: boolean;
  redisUrl?: string;
  clock?: Clock;
  entraCredential?: () => TokenCredential;
  onProgress?: DiscoveryProgress;
  signal?: AbortSignal;
  openSession?: (options: OpenDevOpsOptions) => DevOpsSession;
}

/**
 * Discovery as the CLI and the bots run it: config → auth → rate-limited session (clustered
 * through Redis when `redisUrl` is set) → inventory, reused from the store for `devops.cacheTtl`
 * once the credential has been verified in this run (the cache is keyed by the identity).
 *
 * @example
 * const inventory = await runDevOpsDiscovery({ config: config.devops, env: process.env, store });
 */
export async function runDevOpsDiscovery(options: RunDiscoveryOptions): Promise<DevOpsInventory> {
  const { config, orgUrl } = requireDevOpsConfig(options.config);
  const clock = options.clock ?? systemClock;
  const projects = options.projects?.length ? options.projects : config.projects;
  const session = (options.openSession ?? openDevOps)({
    orgUrl,
    auth: resolveDevOpsAuth(config, options.env, options.entraCredential),
    requestsPerMinute: config.requestsPerMinute,
    clock,
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const discover = () =>
    discoverInventory({
      api: session.api,
      orgUrl,
      stats: session.connection.stats,
      clock,
      buildsSince: new Date(clock.now().getTime() - config.buildsSinceDays * 86_400_000),
      maxBuilds: config.maxBuilds,
      applications: config.applications,
      ...(projects ? { projects } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  try {
    if (!options.store) return await discover();
    return await discoverWithCache({
      cache: options.store.keyValue<DevOpsInventory>(INVENTORY_NAMESPACE),
      scope: { orgUrl, projects, parts: ALL_PARTS },
      verifiedIdentity: session.verifiedIdentity,
      ttlMs: config.cacheTtl,
      clock,
      discover,
      ...(options.refresh ? { refresh: true } : {}),
    });
  } finally {
    await session.close();
  }
}
