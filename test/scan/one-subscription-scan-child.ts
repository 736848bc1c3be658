// A process scanning a scope of one subscription the way a bot replica does with REDIS_URL
// (createQueuedScanCollector), pointed at an ARM simulator. Says `ready`, scans when stdin says
// `go` (so every process scans at the same moment), prints the snapshot's size and exits.
import { once } from 'node:events';
import { systemClock } from '../../core/clock.js';
import { createQueuedScanCollector } from '../../core/scan/queue/create-queued-scan-collector.js';
import { openStore } from '../../core/store/open-store.js';
import { FAST_TUNING, simConnection } from '../collect/sim-harness.js';

const env = process.env;
const { httpClient, endpoints, credential } = simConnection({
  url: env.SIM_URL as string,
  caPem: env.SIM_CA_PEM as string,
  tenantId: env.SIM_TENANT as string,
});
const store = await openStore({ memory: true });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const snapshot = await createQueuedScanCollector({
  redisUrl: env.REDIS_URL as string,
  principal: 'sim-client',
  prefix: env.QUEUE_PREFIX as string,
  mode: 'full',
})({
  target: { name: 'one', subscriptions: [env.SUB as string] },
  via: 'graph',
  credential,
  endpoints,
  httpClient,
  clock: systemClock,
  store,
  tuning: { ...FAST_TUNING, timeoutMs: 20_000, maxRetries: 6, graphPageSize: 5 },
});
await store.close();
process.stdout.write(
  JSON.stringify({ complete: snapshot.complete, resources: snapshot.resources.length }),
  () => process.exit(0),
);
