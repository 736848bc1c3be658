import { ClientSecretCredential } from '@azure/identity';
import { resolveEndpoints } from '../../core/collect/azure-clouds.js';
import type { CollectTuning } from '../../core/collect/create-azure-clients.js';
import { createHttpClient } from '../../core/collect/create-http-client.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { RunScanOptions } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { ArmSimulator } from '../sim/arm/start-arm-simulator.js';

/** Tuning for tests: the SDK's real retry logic with millisecond delays. */
export const FAST_TUNING: Partial<CollectTuning> = {
  retryDelayInMs: 5,
  maxRetryDelayInMs: 20,
  timeoutMs: 2_000,
};

/** Endpoints, HTTP client and a ClientSecretCredential that go to the simulator. */
export function simConnection(sim: Pick<ArmSimulator, 'url' | 'caPem' | 'tenantId'>) {
  const httpClient = createHttpClient({ caPem: sim.caPem });
  const endpoints = resolveEndpoints({
    endpoints: { resourceManager: sim.url, authorityHost: sim.url },
  });
  const credential = new ClientSecretCredential(sim.tenantId, 'sim-client', 'sim-secret', {
    authorityHost: sim.url,
    disableInstanceDiscovery: true,
    httpClient,
  });
  return { httpClient, endpoints, credential };
}

/**
 * The options a test scan of the simulator starts from: one scope over `subscriptions`, Azure's
 * endpoints at the simulator (and `collect` settings, if any), its credential and HTTP client,
 * no environment, project directory or .driftignore, and {@link FAST_TUNING} with `tuning` over it.
 */
export function simScanOptions(
  sim: Pick<ArmSimulator, 'url' | 'caPem' | 'tenantId'>,
  store: DriftStore,
  input: {
    scope: string;
    subscriptions: string[];
    collect?: Record<string, unknown>;
    tuning?: Partial<CollectTuning>;
  },
): RunScanOptions {
  const { credential, httpClient } = simConnection(sim);
  return {
    scope: input.scope,
    config: parseConfig(
      {
        scopes: { [input.scope]: { subscriptions: input.subscriptions } },
        azure: {
          ...(input.collect ? { collect: input.collect } : {}),
          endpoints: { resourceManager: sim.url, authorityHost: sim.url },
        },
      },
      'test',
    ),
    env: {},
    cwd: '/nonexistent',
    store,
    credential,
    httpClient,
    driftignore: '',
    tuning: { ...FAST_TUNING, ...input.tuning },
  };
}
