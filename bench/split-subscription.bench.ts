// One big subscription on the Resource Graph path, read by 3 worker processes on Redis sharing
// the quota: unsplit (one shard: its pages come one after another, whatever the workers) against
// split by resource type (`splitAbove`: type groups plus the rest shard, paging at once). Each
// figure is printed beside its throttling floor — queries ÷ the user quota's 3 per second (15 per
// 5 s), as the soak counts it — for two page latencies: the soak's 20–50 ms, and 0.5–1 s, what a
// page of 1,000 full resource bodies takes Resource Graph (an assumption: it varies with the
// bodies' size and the service's load). Every scan's snapshot is checked against the estate.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { systemClock } from '../core/clock.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../core/collect/token-bucket-pacer.js';
import type { ArmResource } from '../core/model/resource.js';
import { createScanCollector } from '../core/scan/create-scan-collector.js';
import { createQueuedShardRunner } from '../core/scan/queue/create-queued-shard-runner.js';
import { startShardWorker } from '../core/scan/queue/start-shard-worker.js';
import { openStore } from '../core/store/open-store.js';
import { simConnection } from '../test/collect/sim-harness.js';
import { startArmSimulator } from '../test/sim/arm/start-arm-simulator.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUB = '00000000-0000-4000-8000-000000000901';
const TOTAL = Number(process.env.SPLIT_RESOURCES ?? 20_000);
const SPLIT_ABOVE = Number(process.env.SPLIT_ABOVE ?? 2_500);
const WORKERS = 3;
// Twelve types, a few large and a tail of small ones, as estates are.
const SHARES = [0.3, 0.2, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.02, 0.015, 0.01, 0.005];
const budgetShape = { armReads: ARM_READ_BUCKET, graphQuota: GRAPH_USER_QUOTA };

if (process.argv[2] === 'worker') await worker();
else await main();

async function worker(): Promise<void> {
  const env = process.env;
  const { httpClient, endpoints, credential } = simConnection({
    url: env.SIM_URL as string,
    caPem: env.SIM_CA_PEM as string,
    tenantId: env.SIM_TENANT as string,
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = env.QUEUE_PREFIX as string;
  const shardWorker = await startShardWorker({
    redisUrl: REDIS_URL,
    prefix,
    concurrency: 2,
    deps: {
      credential,
      endpoints,
      httpClient,
      clock: systemClock,
      sharedBudget: createRedisBudget({
        redis,
        principal: 'sim-client',
        prefix: `${prefix}:budget`,
        ...budgetShape,
      }),
    },
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void shardWorker.close().then(() => {
      redis.disconnect();
      process.exit(0);
    });
  });
}

function estate(): ArmResource[] {
  const out: ArmResource[] = [];
  SHARES.forEach((share, t) => {
    const type = `Microsoft.Bench${t}/things`;
    const n = Math.round(TOTAL * share);
    for (let i = 0; i < n; i++)
      out.push({
        id: `/subscriptions/${SUB}/resourceGroups/rg-${i % 20}/providers/${type}/r${t}-${i}`,
        name: `r${t}-${i}`,
        type,
        location: 'westeurope',
        tags: { env: i % 3 === 0 ? 'prod' : 'dev', owner: `team-${i % 7}` },
        properties: {
          provisioningState: 'Succeeded',
          index: i,
          settings: { enabled: i % 2 === 0, tier: 'Standard', notes: 'x'.repeat(600) },
        },
      });
  });
  return out;
}

async function main(): Promise<void> {
  const resources = estate();
  const sim = await startArmSimulator({ resources });
  const { credential, httpClient, endpoints } = simConnection(sim);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const rows: string[][] = [];
  const workers: ReturnType<typeof spawn>[] = [];
  try {
    for (const latencyMs of [
      { min: 20, max: 50 },
      { min: 500, max: 1_000 },
    ]) {
      for (const split of [false, true]) {
        const prefix = `dwsplit-${Date.now().toString(36)}`;
        for (let i = 0; i < WORKERS; i++) {
          const proc = spawn(process.execPath, [process.argv[1] as string, 'worker'], {
            env: {
              ...process.env,
              SIM_URL: sim.url,
              SIM_CA_PEM: sim.caPem,
              SIM_TENANT: sim.tenantId,
              QUEUE_PREFIX: prefix,
            },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          workers.push(proc);
          await new Promise<void>((ready) =>
            proc.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && ready()),
          );
        }
        const runner = createQueuedShardRunner({ redisUrl: REDIS_URL, prefix });
        const store = await openStore({ memory: true });
        sim.faults.set({ latencyMs });
        // Let the quota's window from the last scan pass, so each starts alike.
        await new Promise((r) => setTimeout(r, 6_000));
        const before = sim.requests.length;
        const started = performance.now();
        const snapshot = await createScanCollector({
          runner: runner.run,
          split: true,
          ...(split ? { splitAbove: SPLIT_ABOVE } : {}),
          sharedBudget: createRedisBudget({
            redis,
            principal: 'sim-client',
            prefix: `${prefix}:budget`,
            ...budgetShape,
          }),
        })({
          target: { name: 'big', subscriptions: [SUB] },
          via: 'graph',
          credential,
          endpoints,
          httpClient,
          clock: systemClock,
          store,
          tuning: {},
        });
        const wallS = (performance.now() - started) / 1000;
        const served = sim.requests.slice(before);
        const queries = served.filter((r) => /ResourceGraph/.test(r.url) && r.status === 200);
        const throttled = served.filter((r) => r.status === 429).length;
        const floorS =
          queries.length / (GRAPH_USER_QUOTA.queries / (GRAPH_USER_QUOTA.windowMs / 1000));
        const exact =
          snapshot.complete &&
          snapshot.resources.length === resources.length &&
          snapshot.errors.length === 0;
        rows.push([
          `${latencyMs.min}–${latencyMs.max} ms`,
          split ? `split above ${SPLIT_ABOVE}` : 'unsplit',
          String(snapshot.collection?.shards),
          String(queries.length),
          `${floorS.toFixed(1)} s`,
          `${wallS.toFixed(1)} s`,
          `${(wallS / floorS).toFixed(2)}×`,
          String(throttled),
          exact ? 'exact' : 'NOT EXACT',
          loadavg()[0]?.toFixed(1) ?? '?',
        ]);
        for (const w of workers.splice(0)) {
          w.kill('SIGTERM');
          await new Promise((done) => w.on('close', done));
        }
        await runner.close();
        await store.close();
      }
    }
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.disconnect();
    await sim.close();
  }
  const header = [
    'page latency',
    'plan',
    'shards',
    'queries',
    'floor',
    'wall',
    '÷ floor',
    '429s',
    'snapshot',
    'load avg',
  ];
  console.log(
    `1 subscription, ${TOTAL.toLocaleString('en')} resources in ${SHARES.length} types, ${WORKERS} worker processes, Resource Graph quota 15 / 5 s`,
  );
  for (const row of [header, ...rows]) console.log(row.join(' | '));
}
