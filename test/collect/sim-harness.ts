import { ClientSecretCredential } from '@azure/identity';
import { resolveEndpoints } from '../../core/collect/azure-clouds.js';
import type { CollectTuning } from '../../core/collect/create-azure-clients.js';
import { createHttpClient } from '../../core/collect/create-http-client.js';
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
