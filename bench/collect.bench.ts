// Bench: the collectors against the ARM simulator with ARM's and Resource Graph's real limits and
// 20–50 ms latency per request, each next to its floor — the shortest time the limits allow:
//   Resource Graph, 50,000 resources: pages ÷ quota rate (15 queries / 5 s);  goal ≤ 1.2× floor
//   ARM GET, 5,000 resources in one subscription: (N − 250) ÷ 25 /s;            goal ≤ 1.1× floor
//   ARM GET, 1,000 resources, the principal's bucket refilling at 5/s — a fifth of the documented
//   rate, as when other clients share the principal: (N − 250) ÷ 5 /s; goal ≤ 1.2× floor and
//   429s under 2 % of requests
// and checks nothing was lost or invented, and no request failed after retries.
import { isDeepStrictEqual } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { resolveEndpoints } from '../core/collect/azure-clouds.js';
import { collectScope } from '../core/collect/collect-scope.js';
import { type CollectStats, retriesOf } from '../core/collect/collect-stats.js';
import { createHttpClient } from '../core/collect/create-http-client.js';
import type { ArmResource, Snapshot } from '../core/model/resource.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../test/sim/arm/sim-authority.js';
import { type ArmSimulator, startArmSimulator } from '../test/sim/arm/start-arm-simulator.js';
import { generateBenchEstate } from './collect/generate-bench-estate.js';

const GRAPH_COUNT = Number(process.env.COLLECT_BENCH_GRAPH ?? 50_000);
const ARM_COUNT = Number(process.env.COLLECT_BENCH_ARM ?? 5_000);
const SLOW_COUNT = Number(process.env.COLLECT_BENCH_SLOW ?? 1_000);
const SLOW_REFILL = 5;
const SUB_GRAPH = '00000000-0000-4000-8000-0000000000a1';
const SUB_ARM = '00000000-0000-4000-8000-0000000000a2';
const SUB_SLOW = '00000000-0000-4000-8000-0000000000a3';

const graphEstate = generateBenchEstate(SUB_GRAPH, GRAPH_COUNT);
const armEstate = generateBenchEstate(SUB_ARM, ARM_COUNT);
const slowEstate = generateBenchEstate(SUB_SLOW, SLOW_COUNT);
const sim = await startArmSimulator({ resources: [...graphEstate, ...armEstate] });
// A second simulator whose read bucket refills at a fifth of ARM's documented 25/s.
const slowSim = await startArmSimulator({
  resources: slowEstate,
  limits: { armReads: { burst: 250, refillPerSecond: SLOW_REFILL } },
});
slowSim.faults.set({ latencyMs: { min: 20, max: 50 } });
sim.faults.set({ latencyMs: { min: 20, max: 50 } });

/** Endpoints, HTTP client and credential for one simulator; the token is fetched up front. */
async function connect(target: ArmSimulator) {
  const httpClient = createHttpClient({ caPem: target.caPem });
  const endpoints = resolveEndpoints({
    endpoints: { resourceManager: target.url, authorityHost: target.url },
  });
  const credential = new ClientSecretCredential(target.tenantId, SIM_CLIENT_ID, SIM_CLIENT_SECRET, {
    authorityHost: target.url,
    disableInstanceDiscovery: true,
    httpClient,
  });
  await credential.getToken(`${endpoints.audience}/.default`); // not part of any path's time
  return { target, httpClient, endpoints, credential };
}
const main = await connect(sim);
const slow = await connect(slowSim);

interface Row {
  path: string;
  resources: number;
  requests: number;
  throttled: number;
  maxThrottledShare: number;
  retries: number;
  failed: number;
  floorS: number;
  wallS: number;
  goal: number;
  exact: boolean;
}

async function run(
  path: 'graph' | 'arm',
  subscription: string,
  estate: ArmResource[],
  floorS: number,
  goal: number,
  options: {
    label?: string;
    on?: Awaited<ReturnType<typeof connect>>;
    maxThrottledShare?: number;
  } = {},
): Promise<Row> {
  const { target, credential, endpoints, httpClient } = options.on ?? main;
  const before = target.requests.length;
  let stats: CollectStats | undefined;
  const started = performance.now();
  const snapshot: Snapshot = await collectScope({
    target: { name: `bench-${path}`, subscriptions: [subscription] },
    credential,
    endpoints,
    httpClient,
    via: path,
    onProgress: (progress) => {
      stats = progress.stats;
    },
  });
  const wallS = (performance.now() - started) / 1000;
  const served = target.requests.slice(before).filter((r) => !/\/oauth2\//.test(r.url));
  const want = new Map(estate.map((r) => [r.id.toLowerCase(), r]));
  const exact =
    snapshot.complete &&
    snapshot.resources.length === estate.length &&
    snapshot.resources.every((r) => {
      const expected = want.get(r.id.toLowerCase());
      return (
        expected !== undefined &&
        isDeepStrictEqual(
          r,
          path === 'graph' ? { ...expected, type: expected.type?.toLowerCase() } : expected,
        )
      );
    });
  return {
    path: options.label ?? (path === 'graph' ? 'Resource Graph' : 'ARM GET'),
    resources: snapshot.resources.length,
    requests: served.length,
    throttled: served.filter((r) => r.status === 429).length,
    maxThrottledShare: options.maxThrottledShare ?? 0,
    retries: stats ? retriesOf(stats) : 0,
    failed: stats?.failed ?? 0,
    floorS,
    wallS,
    goal,
    exact,
  };
}

const pages = Math.ceil(GRAPH_COUNT / 1000);
const graphFloor = pages / (15 / 5);
const armFloor = Math.max(0, ARM_COUNT - 250) / 25;
const slowFloor = Math.max(0, SLOW_COUNT - 250) / SLOW_REFILL;
console.log(
  `simulator: ${sim.url}, latency 20–50 ms, ARM reads 250 burst + 25/s per subscription (the slow row: + ${SLOW_REFILL}/s), Resource Graph 15 queries / 5 s`,
);
const rows: Row[] = [];
rows.push(await run('graph', SUB_GRAPH, graphEstate, graphFloor, 1.2));
rows.push(await run('arm', SUB_ARM, armEstate, armFloor, 1.1));
rows.push(
  await run('arm', SUB_SLOW, slowEstate, slowFloor, 1.2, {
    label: `ARM GET, bucket refill ${SLOW_REFILL}/s`,
    on: slow,
    maxThrottledShare: 0.02,
  }),
);
await sim.close();
await slowSim.close();

const table = [
  [
    'path',
    'resources',
    'requests',
    '429s (share)',
    'retries',
    'failed',
    'floor',
    'wall time',
    'ratio',
    'goal',
    'exact estate',
  ],
  ...rows.map((r) => [
    r.path,
    r.resources.toLocaleString('en-US'),
    r.requests.toLocaleString('en-US'),
    `${r.throttled} (${((100 * r.throttled) / Math.max(1, r.requests)).toFixed(1)} %)`,
    String(r.retries),
    String(r.failed),
    `${r.floorS.toFixed(1)} s`,
    `${r.wallS.toFixed(1)} s`,
    `${(r.wallS / r.floorS).toFixed(3)}×`,
    `≤ ${r.goal}× ${r.wallS / r.floorS <= r.goal ? 'met' : 'MISSED'}`,
    r.exact ? 'yes' : 'NO',
  ]),
];
const widths =
  table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
const ok = rows.every(
  (r) =>
    r.exact &&
    r.failed === 0 &&
    r.wallS / r.floorS <= r.goal &&
    r.throttled <= r.maxThrottledShare * r.requests,
);
process.exitCode = ok ? 0 : 1;
