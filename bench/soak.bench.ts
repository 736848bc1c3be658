// Soak: sharded scans of 50,000 resources across 20 subscriptions in the ARM simulator with ARM's
// and Resource Graph's real limits and 20–50 ms latency, read by 3 worker processes on Redis that
// share the budgets, each next to its throttling floor — the shortest time the limits allow:
//   Resource Graph full: pages ÷ the user quota (15 queries / 5 s);          goal ≤ 1.2× floor
//   ARM full: (resources per subscription − 250 burst) ÷ 25 reads/s (subscriptions in parallel,
//   one bucket each);                                                        goal ≤ 1.1× floor
//   incremental (1 % changed): inside the burst, so no floor; reads ≤ 5 % of the full scan's
// plus 429s, peak RSS per process, Redis memory, and zero lost or duplicated resources; then a
// Resource Graph full scan during which one worker is killed (SIGKILL) mid-shard.
// The simulator runs in a process of its own, so the figures are driftwatch's, not the simulator's
// competing for the same cores; each scan also prints where the time went (CPU per process,
// when each subscription's reads started and ended, the shared budget's round trips and waits).
// Not done here: stopping Redis mid-scan (the machine's Redis is shared with other work).
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import { systemClock } from '../core/clock.js';
import type { CollectVia } from '../core/collect/collect-scope-types.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../core/collect/token-bucket-pacer.js';
import type { ArmResource } from '../core/model/resource.js';
import { createScanCollector } from '../core/scan/create-scan-collector.js';
import type { ScanMode } from '../core/scan/plan-scan-mode.js';
import { createQueuedShardRunner } from '../core/scan/queue/create-queued-shard-runner.js';
import { DEFAULT_SHARD_CONCURRENCY } from '../core/scan/queue/shard-concurrency.js';
import { openStore } from '../core/store/open-store.js';
import { simConnection } from '../test/collect/sim-harness.js';
import { runSoakSim, type SoakServed } from './soak/run-soak-sim.js';
import { runSoakWorker } from './soak/run-soak-worker.js';
import { startSoakSim } from './soak/soak-sim.js';
import { type SoakWorker, startSoakWorker, stopSoakWorker, until } from './soak/soak-workers.js';

if (process.argv[2] === 'worker') {
  await runSoakWorker(process.env);
} else if (process.argv[2] === 'sim') {
  await runSoakSim(process.env);
} else {
  await soak();
}

async function soak(): Promise<void> {
  const TOTAL = Number(process.env.SOAK_RESOURCES ?? 50_000);
  const SUB_COUNT = Number(process.env.SOAK_SUBSCRIPTIONS ?? 20);
  const WORKERS = Number(process.env.SOAK_WORKERS ?? 3);
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const perSub = Math.ceil(TOTAL / SUB_COUNT);
  const subs = Array.from(
    { length: SUB_COUNT },
    (_, i) => `00000000-0000-4000-8000-${String(500 + i).padStart(12, '0')}`,
  );
  const sim = await startSoakSim({
    ...process.env,
    SOAK_SUBS: JSON.stringify(subs),
    SOAK_PER_SUB: String(perSub),
  });
  const prefix = `dwsoak-${Date.now().toString(36)}`;
  const redis = new Redis(REDIS_URL);
  const usedMemory = async () =>
    Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const redisBefore = await usedMemory();
  let redisPeak = redisBefore;
  const sampler = setInterval(() => {
    void usedMemory().then((m) => {
      redisPeak = Math.max(redisPeak, m);
    });
  }, 200);
  const workerEnv = {
    ...process.env,
    SIM_URL: sim.url,
    SIM_CA_PEM: sim.caPem,
    SIM_TENANT: sim.tenantId,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
  };
  const workers: SoakWorker[] = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startSoakWorker(workerEnv));
  const { httpClient, endpoints, credential } = simConnection(sim);
  const store = await openStore({ memory: true });
  const runner = createQueuedShardRunner({ redisUrl: REDIS_URL, prefix });
  // The coordinator's change-feed queries draw on the same Resource Graph quota as the workers.
  const coordinatorBudget = createRedisBudget({
    redis,
    principal: 'sim-client',
    prefix: `${prefix}:budget`,
    armReads: ARM_READ_BUCKET,
    graphQuota: GRAPH_USER_QUOTA,
  });
  let lastLine = '';

  const rows: string[][] = [];
  const scan = async (
    label: string,
    via: CollectVia,
    mode: ScanMode,
    floorS: number | undefined,
    goal: number | undefined,
    during?: () => Promise<void>,
  ) => {
    const before = (await sim.ask<{ index: number }>({ op: 'mark' })).index;
    const cpuBefore = await cpuOfAll();
    const started = performance.now();
    const startedAt = Date.now();
    const collecting = createScanCollector({
      mode,
      runner: runner.run,
      split: true,
      sharedBudget: coordinatorBudget,
      keepBasis: true,
    })({
      target: { name: `soak-${via}`, subscriptions: subs },
      via,
      credential,
      endpoints,
      httpClient,
      clock: systemClock,
      store,
      tuning: {},
      onProgress(p) {
        const line = `collected ${p.done.toLocaleString('en-US')} / ${(p.total ?? 0).toLocaleString('en-US')}`;
        if (line !== lastLine) process.stderr.write(`\r  ${label}: ${line}   `);
        lastLine = line;
      },
    });
    await during?.();
    const snapshot = await collecting;
    const wallS = (performance.now() - started) / 1000;
    const load = loadavg()[0] as number;
    await new Promise((r) => setTimeout(r, 600)); // the workers' next CPU report
    const cpuAfter = await cpuOfAll();
    process.stderr.write('\n');
    if (!snapshot.complete)
      console.log(
        `  ${label} ${mode}: incomplete, ${snapshot.errors.length} error(s), first: ${JSON.stringify(snapshot.errors.slice(0, 2))}`,
      );
    if (snapshot.collection?.fullReason)
      console.log(`  ${label}: full because ${snapshot.collection.fullReason}`);
    const served = await sim.ask<SoakServed>({ op: 'served', since: before });
    const listed = (await sim.ask<{ resources: ArmResource[] }>({ op: 'listed' })).resources;
    const expected = new Map(listed.map((r) => [r.id.toLowerCase(), r]));
    const ids = new Set(snapshot.resources.map((r) => r.id.toLowerCase()));
    const lost = [...expected.keys()].filter((id) => !ids.has(id)).length;
    const duplicated =
      snapshot.resources.length - ids.size + (snapshot.collection?.duplicates ?? 0);
    const exact =
      snapshot.complete &&
      lost === 0 &&
      snapshot.resources.every((r) => {
        const want = expected.get(r.id.toLowerCase()) as ArmResource;
        return isDeepStrictEqual(
          r,
          via === 'graph' ? { ...want, type: want.type?.toLowerCase() } : want,
        );
      });
    rows.push([
      label,
      snapshot.collection?.mode ?? '?',
      snapshot.resources.length.toLocaleString('en-US'),
      String(served.served),
      String(served.throttled),
      floorS === undefined ? '—' : `${floorS.toFixed(1)} s`,
      `${wallS.toFixed(1)} s`,
      floorS === undefined || floorS === 0
        ? '—'
        : `${(wallS / floorS).toFixed(2)}× (goal ≤ ${goal}×)`,
      `${lost} / ${duplicated}`,
      exact ? 'yes' : 'NO',
      load.toFixed(1),
    ]);
    console.log(`  ${label} ${mode}: ${whereTheTimeWent(served, cpuBefore, cpuAfter, wallS)}`);
    // SOAK_TIMELINE=1: requests per second of each subscription, from the scan's start.
    if (process.env.SOAK_TIMELINE) {
      const shardStarts = workers.flatMap((w, i) =>
        w.events
          .filter((e) => e.kind === 'start' && Number(e.at) >= startedAt)
          .map(
            (e) =>
              `${String(e.key).slice(-3)}@w${i}:${((Number(e.at) - startedAt) / 1000).toFixed(1)}`,
          ),
      );
      console.log(`    shards started (s): ${shardStarts.join(' ')}`);
      for (const p of served.perSub) console.log(`    ${p.sub}: ${p.perSecond.join(' ')}`);
    }
    return { served: served.served };
  };
  const changeOnePercent = (round: number) => sim.ask({ op: 'change-one-percent', round });
  // CPU so far (ms) of the coordinator, the simulator and each worker (its latest report).
  const cpuOfAll = async () => {
    const { user, system } = process.cpuUsage();
    const simCpu = await sim.ask<{ cpuMs: number }>({ op: 'cpu' });
    return {
      coordinator: (user + system) / 1000,
      simulator: simCpu.cpuMs,
      workers: workers.map((w) => {
        const last = w.events.findLast((e) => e.kind === 'stats');
        return {
          cpuMs: Number(last?.cpuMs ?? 0),
          evals: Number(last?.evals ?? 0),
          takes: Number(last?.takes ?? 0),
          sharedWaitMs: Number(last?.sharedWaitMs ?? 0),
        };
      }),
    };
  };
  type Cpu = Awaited<ReturnType<typeof cpuOfAll>>;
  const whereTheTimeWent = (served: SoakServed, a: Cpu, b: Cpu, wallS: number) => {
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const cpu = `CPU s over ${wallS.toFixed(1)} s: coordinator ${s(b.coordinator - a.coordinator)}, simulator ${s(b.simulator - a.simulator)}, workers ${b.workers.map((w, i) => s(w.cpuMs - (a.workers[i]?.cpuMs ?? 0))).join(' / ')}`;
    const subsOnly = served.perSub.filter((p) => p.sub !== '(tenant)');
    const range = (xs: number[]) =>
      xs.length ? `${s(Math.min(...xs))}–${s(Math.max(...xs))} s` : '—';
    // A subscription's rate once its burst is spent: what the bucket allows is 25/s.
    const rates = subsOnly
      .filter((p) => p.count > 300 && p.last - p.first > 2_000)
      .map((p) => (p.count - 250) / ((p.last - p.first) / 1000));
    const takes = b.workers.reduce((n, w, i) => n + w.takes - (a.workers[i]?.takes ?? 0), 0);
    const evals = b.workers.reduce((n, w, i) => n + w.evals - (a.workers[i]?.evals ?? 0), 0);
    const waited = b.workers.reduce(
      (n, w, i) => n + w.sharedWaitMs - (a.workers[i]?.sharedWaitMs ?? 0),
      0,
    );
    return [
      cpu,
      `subscriptions' first request ${range(subsOnly.map((p) => p.first))}, first read by id ${range(subsOnly.flatMap((p) => (p.firstRead === undefined ? [] : [p.firstRead])))}, last ${range(subsOnly.map((p) => p.last))}`,
      rates.length
        ? `after the burst ${Math.min(...rates).toFixed(1)}–${Math.max(...rates).toFixed(1)} reads/s per subscription`
        : '',
      takes
        ? `shared budget: ${takes} takes, ${(evals / takes).toFixed(2)} Redis calls each, ${(waited / takes).toFixed(0)} ms waited each`
        : '',
    ]
      .filter(Boolean)
      .join('; ');
  };

  const pages = subs.length * Math.ceil(perSub / 1000);
  const graphFloor = pages / 3;
  const armFloor = Math.max(0, perSub - 250) / 25;
  console.log(
    `soak: ${TOTAL.toLocaleString('en-US')} resources in ${SUB_COUNT} subscriptions, ${WORKERS} worker processes on Redis reading up to ${DEFAULT_SHARD_CONCURRENCY} shards each (their default; prefix ${prefix}); simulator ${sim.url}, latency 20–50 ms, ARM reads 250 burst + 25/s per subscription and principal, Resource Graph 15 queries / 5 s per user`,
  );
  const only = process.env.SOAK_ONLY;
  // SOAK_ONLY=arm: the ARM scans and the killed worker; arm-full: the ARM full scan alone.
  const armOnly = only === 'arm' || only === 'arm-full';
  const graphFull = armOnly
    ? { served: 0 }
    : await scan('Resource Graph', 'graph', 'full', graphFloor, 1.2);
  await changeOnePercent(1);
  const graphIncr = armOnly
    ? { served: 0 }
    : await scan('Resource Graph', 'graph', 'incremental', 0, undefined);
  const armFull = await scan('ARM', 'arm', 'full', armFloor, 1.1);
  await changeOnePercent(2);
  const armIncr =
    only === 'arm-full' ? { served: 0 } : await scan('ARM', 'arm', 'incremental', 0, undefined);
  // Fault: one worker killed (SIGKILL) once it holds a shard; its shards move on after the lock.
  const victim = workers[0] as SoakWorker;
  if (workers.length > 1 && only !== 'arm-full')
    await scan('Graph, worker killed', 'graph', 'full', graphFloor, 1.2, async () => {
      const startedBefore = victim.events.filter((e) => e.kind === 'start').length;
      await until(
        () => victim.events.filter((e) => e.kind === 'start').length > startedBefore,
        120_000,
      );
      victim.proc.kill('SIGKILL');
    });
  clearInterval(sampler);

  const rss = [];
  for (const w of workers) rss.push(await stopSoakWorker(w));
  await runner.close();
  await store.close();
  const simRss = (await sim.ask<{ maxRss: number }>({ op: 'cpu' })).maxRss;
  await sim.close();
  const leftover = (await redis.keys(`${prefix}:*`)).filter((k) => !k.includes(':budget:'));
  await redis.quit();

  const header = [
    'path',
    'mode',
    'resources',
    'requests',
    '429s',
    'floor',
    'wall',
    'vs floor',
    'lost / dup',
    'exact',
    'load',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const mb = (b: number | undefined) =>
    b === undefined ? '?' : `${(b / 1_048_576).toFixed(0)} MB`;
  console.log(
    `incremental reads: Resource Graph ${graphIncr.served} vs ${graphFull.served} (${((100 * graphIncr.served) / graphFull.served).toFixed(1)} %), ARM ${armIncr.served} vs ${armFull.served} (${((100 * armIncr.served) / armFull.served).toFixed(1)} %); goal ≤ 5 %`,
  );
  console.log(
    `peak RSS: coordinator ${mb(process.resourceUsage().maxRSS * 1024)}, simulator ${mb(simRss)}, workers ${rss.map(mb).join(', ')} (the killed one reports nothing)`,
  );
  console.log(
    `Redis: used_memory peak ${mb(redisPeak)} (${mb(redisPeak - redisBefore)} above the ${mb(redisBefore)} before the soak); queue keys left after the soak: ${leftover.length}`,
  );
  console.log('not done: Redis stopped mid-scan (the Redis on this machine is shared)');
}
