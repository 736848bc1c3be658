import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readSnapshotFile } from '../../../core/snapshot/read-snapshot-file.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from './sim-authority.js';
import type { SimChange } from './sim-estate.js';
import { startArmSimulator } from './start-arm-simulator.js';

/**
 * Standalone simulator for the demo, benchmarks and child-process tests:
 * `node test/sim/arm/cli.mjs --estate estate.json [--subscription ID]… [--changes changes.json]
 * [--port N] [--latency 20,50] [--ca-file F]`.
 * Prints one JSON line: `{ url, caFile, tenantId, clientId, clientSecret, accessToken }`, then
 * serves until SIGINT/SIGTERM.
 */
const { values } = parseArgs({
  options: {
    estate: { type: 'string', multiple: true, default: [] },
    subscription: { type: 'string', multiple: true, default: [] },
    changes: { type: 'string' },
    port: { type: 'string', default: '0' },
    latency: { type: 'string' },
    'ca-file': { type: 'string' },
  },
});
const resources = (values.estate ?? []).flatMap(
  (file) => readSnapshotFile(file).snapshot.resources,
);
const sim = await startArmSimulator({ resources, port: Number(values.port) });
for (const id of values.subscription ?? []) sim.estate.addSubscription(id);
// Recorded changes for `resourcechanges` queries: a JSON array of SimChange.
if (values.changes)
  sim.estate.changes = JSON.parse(readFileSync(values.changes, 'utf8')) as SimChange[];
if (values.latency) {
  const [min, max] = values.latency.split(',').map(Number);
  sim.faults.set({ latencyMs: { min: min ?? 0, max: max ?? min ?? 0 } });
}
const caFile = values['ca-file'] ?? join(tmpdir(), `driftwatch-arm-sim-${process.pid}.pem`);
writeFileSync(caFile, sim.caPem);
process.stdout.write(
  `${JSON.stringify({ url: sim.url, caFile, tenantId: sim.tenantId, clientId: SIM_CLIENT_ID, clientSecret: SIM_CLIENT_SECRET, accessToken: sim.authority.issue(SIM_CLIENT_ID, 24 * 3600) })}\n`,
);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
