// Soak of the bot as deployed: 3 `driftwatch bot` replicas (separate processes, the CLI's own bot
// command) sharing a private Redis, posting scheduled summaries of 20 scopes — one per
// subscription of the 50,000-resource estate in the ARM simulator (Resource Graph's real quota,
// 20–50 ms latency) — to 20 channels of the Slack simulator, all ticking at the same minute:
//   tick 1, full scans: wall time from the scheduled minute to the last summary beside the quota
//     floor ((pages − the 15-query burst) ÷ 3 queries/s);
//   tick 2, incremental scans (1 % changed): beside the floor of the queries the quota served;
//   tick 3, one replica SIGKILLed mid-tick;
//   tick 4, Redis down for 30 s mid-tick (SHUTDOWN SAVE, restarted on the same port 30 s later:
//     what a restarting or failing-over managed Redis does — connections drop and are refused —
//     with its data kept, as Azure Cache for Redis keeps it);
//   tick 5, after the outage: the replicas scan and post again.
// Counted at the Slack simulator: messages per channel per tick (each exactly once); at the ARM
// simulator: 429s; in the store afterwards: subscriptions, baselines, reports, and every scope's
// last complete snapshot against the estate (nothing lost or twice). Peak RSS of every process,
// Redis used_memory before and at its peak. The Redis is the bench's own: the machine's Redis at
// 6379 is shared and is never stopped. SOAK_RESOURCES scales the estate down for a quick run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { main } from '../cli/main.js';
import { parseConfig } from '../core/config/load-config.js';
import type { ArmResource } from '../core/model/resource.js';
import { runScan } from '../core/scan/run-scan.js';
import { readScanBasis } from '../core/scan/scan-basis.js';
import { listSubscriptions } from '../core/schedule/chat-subscriptions.js';
import { openStore } from '../core/store/open-store.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../test/sim/arm/sim-authority.js';
import { startArmSimulator } from '../test/sim/arm/start-arm-simulator.js';
import { sendSignedRequest } from '../test/sim/slack/sign-slack-request.js';
import { startSlackSimulator } from '../test/sim/slack/slack-simulator.js';
import { startPrivateRedis } from '../test/support/private-redis.js';
import { generateBenchEstate } from './collect/generate-bench-estate.js';
import {
  peakRssOf,
  type SoakWorker,
  startSoakWorker,
  stopSoakWorker,
  until,
} from './soak/soak-workers.js';

const TOKEN = 'xoxb-sim-0000000000777';
const SECRET = 'sim-signing-secret-soak-replicas-0123';

if (process.argv[2] === 'replica') {
  // `driftwatch bot` as bin/driftwatch.js runs it; what it writes to stderr becomes a JSON line on
  // stdout, beside the bot's own JSON log, so the soak reads one stream.
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      process.stdout.write(`${JSON.stringify({ kind: 'stderr', text: String(chunk) })}\n`);
      done();
    },
  });
  process.exitCode = await main(['bot', '--port', '0'], {
    env: process.env,
    stdout: process.stdout,
    stderr,
    cwd: process.cwd(),
  });
} else {
  await soakReplicas();
}

interface Replica {
  name: string;
  worker: SoakWorker;
  url: string;
  peakRss: number;
}

async function soakReplicas(): Promise<void> {
  const TOTAL = Number(process.env.SOAK_RESOURCES ?? 50_000);
  const SUB_COUNT = Number(process.env.SOAK_SUBSCRIPTIONS ?? 20);
  const REPLICAS = Number(process.env.SOAK_REPLICAS ?? 3);
  const OUTAGE_MS = Number(process.env.SOAK_OUTAGE_MS ?? 30_000);
  const perSub = Math.ceil(TOTAL / SUB_COUNT);
  const subs = Array.from(
    { length: SUB_COUNT },
    (_, i) => `00000000-0000-4000-8000-${String(700 + i).padStart(12, '0')}`,
  );
  const scopes = subs.map((_, i) => `s${String(i).padStart(2, '0')}`);
  const channels = subs.map((_, i) => `C0SOAK${String(i).padStart(2, '0')}`);

  const redisServer = await startPrivateRedis({ fromPort: 6391 });
  const sim = await startArmSimulator({
    resources: subs.flatMap((s) => generateBenchEstate(s, perSub)),
    changeRetentionMs: 14 * 24 * 3_600_000,
  });
  sim.faults.set({ latencyMs: { min: 20, max: 50 } });
  const slack = await startSlackSimulator({ token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-soak-replicas-'));
  writeFileSync(join(dir, 'sim-ca.pem'), sim.caPem);
  const rawConfig = {
    scopes: Object.fromEntries(scopes.map((s, i) => [s, { subscriptions: [subs[i]] }])),
    store: { redisUrl: redisServer.url },
    azure: {
      credential: { kind: 'client-secret', tenantId: sim.tenantId, clientId: SIM_CLIENT_ID },
      collect: { via: 'graph', mode: 'incremental' },
    },
    chat: { access: { admins: ['UADMIN1'] } },
  };
  writeFileSync(join(dir, 'driftwatch.config.json'), JSON.stringify(rawConfig, null, 2));
  const azureEnv = {
    AZURE_CLIENT_SECRET: SIM_CLIENT_SECRET,
    AZURE_AUTHORITY_HOST: sim.url,
    DRIFTWATCH_ARM_ENDPOINT: sim.url,
    DRIFTWATCH_RESOURCE_GRAPH_ENDPOINT: sim.url,
  };
  console.log(
    `soak-replicas: ${TOTAL.toLocaleString('en-US')} resources in ${SUB_COUNT} subscriptions, one scope and one Slack channel each; ${REPLICAS} driftwatch bot processes on a private redis-server (${redisServer.url}); Resource Graph 15 queries / 5 s per user, latency 20–50 ms`,
  );

  // Baselines, read in this process one scope at a time (the replicas only compare with them).
  const setup = await openStore({ redisUrl: redisServer.url });
  const baselineConfig = parseConfig(
    { ...rawConfig, store: {}, azure: { ...rawConfig.azure, collect: { via: 'graph' } } },
    'soak config',
  );
  const baselineStarted = performance.now();
  for (const scope of scopes)
    await runScan({
      scope,
      config: baselineConfig,
      env: azureEnv,
      cwd: dir,
      store: setup,
      caPem: sim.caPem,
      saveBaseline: true,
    });
  console.log(
    `baselines: ${scopes.length} scopes read in ${((performance.now() - baselineStarted) / 1000).toFixed(1)} s`,
  );
  await setup.close();

  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const usedMemory = async () =>
    Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const redisBefore = await usedMemory();
  let redisPeak = redisBefore;

  const replicaEnv = {
    ...process.env,
    ...azureEnv,
    NODE_EXTRA_CA_CERTS: join(dir, 'sim-ca.pem'),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: redisServer.url,
    LOG_LEVEL: 'info',
  };
  const replicas: Replica[] = [];
  const gone: Replica[] = [];
  const startReplica = async (name: string) => {
    const worker = await startSoakWorker(replicaEnv, {
      mode: 'replica',
      cwd: dir,
      ready: (e) => e.kind === 'stderr' && /on http:/.test(String(e.text)),
    });
    const line = worker.events.find((e) => e.kind === 'stderr' && /on http:/.test(String(e.text)));
    const url = /on (http:\S+)/.exec(String(line?.text))?.[1] as string;
    const replica = { name, worker, url, peakRss: 0 };
    replicas.push(replica);
    return replica;
  };
  for (let i = 0; i < REPLICAS; i++) await startReplica(String.fromCharCode(97 + i));
  const sampler = setInterval(() => {
    for (const r of [...replicas, ...gone])
      r.peakRss = Math.max(r.peakRss, peakRssOf(r.worker.proc.pid) ?? 0);
    void usedMemory()
      .then((m) => {
        redisPeak = Math.max(redisPeak, m);
      })
      .catch(() => {});
  }, 500);

  const ticksOf = (from: Map<Replica, number>) =>
    [...replicas, ...gone].flatMap((r) =>
      r.worker.events
        .slice(from.get(r) ?? 0)
        .filter(
          (e) =>
            e.msg === 'scheduled summary tick' ||
            e.msg === 'scheduled summary failed' ||
            e.msg === 'conversation is gone: subscription removed',
        )
        .map((e) => ({
          replica: r.name,
          subscriptionId: String(e.subscriptionId),
          tickId: String(e.tickId),
          outcome: String(e.outcome ?? 'failed'),
          error: e.error === undefined ? undefined : JSON.stringify(e.error).slice(0, 300),
        })),
    );
  const changeOnePercent = (round: number) => {
    const listed = sim.estate.listed();
    const step = Math.floor(listed.length / Math.ceil(listed.length / 100));
    for (let i = round; i < listed.length; i += step) {
      const r = listed[i] as ArmResource;
      sim.estate.write({ ...r, tags: { ...r.tags, soak: `round-${round}` } });
    }
  };
  const graphQueries = (from: number) =>
    sim.requests.slice(from).filter((r) => /Microsoft\.ResourceGraph\/resources/i.test(r.url));

  const rows: string[][] = [];
  const problems: string[] = [];
  /**
   * Subscribes the 20 channels (commands spread over the replicas, as people would) to a daily
   * schedule at the next minute at least 20 s away, waits for every subscription's tick, and
   * counts what the channels received.
   */
  const tick = async (
    label: string,
    options: {
      floor?: (queries: number) => number;
      during?: (scheduledAt: number, requestsFrom: number) => Promise<void>;
      waitMs?: number;
    } = {},
  ) => {
    const at = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
    const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    for (const [i, scope] of scopes.entries()) {
      const replica = replicas[i % replicas.length] as Replica;
      const res = await sendSignedRequest({
        url: `${replica.url}/slack/events`,
        secret: SECRET,
        nowSeconds: Math.floor(Date.now() / 1000),
        form: {
          command: '/drift',
          text: `subscribe ${scope} daily ${hhmm} tz=UTC --all-clear`,
          team_id: 'T0SIM',
          channel_id: channels[i] as string,
          user_id: 'UADMIN1',
          user_name: 'ada',
          response_url: slack.responseUrl(`subscribe-${label}-${i}`),
          trigger_id: String(i),
          api_app_id: 'A0SIM',
        },
      });
      if (res.status !== 200) problems.push(`${label}: subscribe ${scope} answered ${res.status}`);
    }
    const from = new Map([...replicas, ...gone].map((r) => [r, r.worker.events.length]));
    const postsFrom = slack.callsTo('chat.postMessage').length;
    const requestsFrom = sim.requests.length;
    const expected = new Set(channels.map((c, i) => `slack:${c}:${scopes[i]}`));
    const done = () => {
      const seen = new Set(ticksOf(from).map((t) => t.subscriptionId));
      return [...expected].every((id) => seen.has(id));
    };
    await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now())));
    await options.during?.(at.getTime(), requestsFrom);
    let timedOut = false;
    await until(done, options.waitMs ?? 600_000).catch(() => {
      timedOut = true;
    });
    const lastTickAt = Date.now();
    // Late duplicates (a tick run twice) would land after the first; give them time to show.
    await new Promise((r) => setTimeout(r, 5_000));
    const ticks = ticksOf(from);
    const calls = slack
      .callsTo('chat.postMessage')
      .slice(postsFrom)
      .filter((c) => !String(c.args.text).startsWith('Subscribed'));
    // A summary is one channel message; the findings it lists further go in its thread.
    const posts = calls.filter((c) => !c.args.thread_ts);
    const threaded = calls.length - posts.length;
    const perChannel = channels.map((c) => posts.filter((p) => p.args.channel === c).length);
    const queries = graphQueries(requestsFrom);
    const outcomes = new Map<string, number>();
    for (const t of ticks) outcomes.set(t.outcome, (outcomes.get(t.outcome) ?? 0) + 1);
    const texts = new Map<string, number>();
    for (const p of posts) {
      const kind = String(p.args.text).replace(/ s\d\d.*$/, '');
      texts.set(kind, (texts.get(kind) ?? 0) + 1);
    }
    const wallS = (lastTickAt - at.getTime()) / 1000;
    // A 429 is a query the quota refused, not one it served: the floor counts those it served.
    const floorS = options.floor?.(queries.filter((r) => r.status !== 429).length);
    rows.push([
      label,
      timedOut ? `> ${wallS.toFixed(1)} s (timed out)` : `${wallS.toFixed(1)} s`,
      floorS === undefined ? '—' : `${floorS.toFixed(1)} s`,
      floorS ? `${(wallS / floorS).toFixed(2)}×` : '—',
      String(queries.length),
      String(queries.filter((r) => r.status === 429).length),
      `${Math.min(...perChannel)}–${Math.max(...perChannel)}`,
      [...outcomes].map(([k, n]) => `${k} ${n}`).join(', '),
    ]);
    const runs = new Map<string, number>();
    for (const t of ticks) runs.set(t.subscriptionId, (runs.get(t.subscriptionId) ?? 0) + 1);
    const twice = [...runs].filter(([, n]) => n > 1);
    const tickIds = new Map<string, number>();
    for (const t of ticks) tickIds.set(t.tickId, (tickIds.get(t.tickId) ?? 0) + 1);
    const rerun = ticks.filter((t) => (tickIds.get(t.tickId) ?? 0) > 1);
    if (rerun.length)
      console.log(
        `    the same tick run more than once: ${rerun.map((t) => `${t.replica} ${t.tickId.replace(/^repeat:slack:/, '')} ${t.outcome}`).join('; ')}`,
      );
    console.log(
      `  ${label}: ${ticks.length} tick runs (${twice.length} subscriptions ticked more than once), channel messages: ${[...texts].map(([k, n]) => `${n} × "${k}"`).join(', ')}; ${threaded} thread replies`,
    );
    for (const t of ticks.filter((t) => t.error))
      console.log(`    ${t.replica} ${t.subscriptionId}: ${t.outcome} ${t.error}`);
    if (perChannel.some((n) => n !== 1))
      problems.push(
        `${label}: messages per channel ${perChannel.join(',')} (each channel should get exactly one)`,
      );
    return { ticks, posts };
  };
  const checkSnapshots = async (label: string) => {
    const store = await openStore({ redisUrl: redisServer.url });
    let lost = 0;
    let duplicated = 0;
    let notExact = 0;
    let incomplete = 0;
    for (const [i, scope] of scopes.entries()) {
      const basis = await readScanBasis(store, scope);
      const [ref] = await store.listReports({ scope, limit: 1 });
      const report = ref ? (await store.getReport(ref.id))?.report : undefined;
      if (!report?.complete) incomplete += 1;
      const want = new Map(
        sim.estate
          .listed()
          .filter((r) => r.id.toLowerCase().startsWith(`/subscriptions/${subs[i]}`))
          .map((r) => [r.id.toLowerCase(), r]),
      );
      const got = basis?.snapshot.resources ?? [];
      const ids = new Set(got.map((r) => r.id.toLowerCase()));
      lost += [...want.keys()].filter((id) => !ids.has(id)).length;
      duplicated += got.length - ids.size;
      notExact += got.filter((r) => {
        const w = want.get(r.id.toLowerCase());
        return !w || JSON.stringify(r.tags ?? {}) !== JSON.stringify(w.tags ?? {});
      }).length;
    }
    await store.close();
    console.log(
      `  ${label}: last complete snapshots against the estate: ${lost} lost, ${duplicated} duplicated, ${notExact} with other tags than the estate; ${incomplete} scopes whose last report is incomplete`,
    );
    if (lost || duplicated || notExact)
      problems.push(`${label}: ${lost} lost, ${duplicated} dup, ${notExact} inexact`);
  };

  const pages = subs.length * Math.ceil(perSub / 1000);
  await tick('1 full', { floor: () => Math.max(0, pages - 15) / 3 });
  await checkSnapshots('after tick 1');
  changeOnePercent(1);
  await tick('2 incremental, 1 % changed', { floor: (q) => Math.max(0, q - 15) / 3 });
  await checkSnapshots('after tick 2');

  changeOnePercent(2);
  const victim = replicas[0] as Replica;
  await tick('3 replica a SIGKILLed mid-tick', {
    during: async (_at, requestsFrom) => {
      // Mid-scan: once the tick's reads have begun and before half the subscriptions are done.
      await until(() => graphQueries(requestsFrom).length >= 5, 120_000);
      victim.worker.proc.kill('SIGKILL');
      replicas.splice(replicas.indexOf(victim), 1);
      gone.push(victim);
      console.log(`  replica a SIGKILLed at ${new Date().toISOString()}`);
    },
  });
  await checkSnapshots('after tick 3');
  // As an orchestrator would: the replica comes back.
  await startReplica('a2');

  changeOnePercent(3);
  await tick(`4 Redis down ${OUTAGE_MS / 1000} s mid-tick`, {
    during: async (_at, requestsFrom) => {
      await until(() => graphQueries(requestsFrom).length >= 5, 120_000);
      const stoppedAt = Date.now();
      await redisServer.stop();
      console.log(`  Redis stopped (SHUTDOWN SAVE) at ${new Date(stoppedAt).toISOString()}`);
      await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - stoppedAt)));
      await redisServer.start();
      console.log(`  Redis started again at ${new Date().toISOString()}`);
    },
  });
  const alive = replicas.filter((r) => r.worker.proc.exitCode === null);
  if (alive.length !== replicas.length)
    problems.push(`after the outage ${replicas.length - alive.length} replica(s) exited`);
  // No floor: late runs of tick 4 (handed on when their locks lapsed) read in this tick's window.
  await tick('5 after the outage');
  await checkSnapshots('after tick 5');
  clearInterval(sampler);

  const store = await openStore({ redisUrl: redisServer.url });
  const subscriptions = await listSubscriptions(store);
  const baselines = await store.listBaselines();
  const reports = await store.listReports({});
  const readable = await Promise.all(
    reports.map(async (r) => (await store.getReport(r.id)) !== undefined),
  );
  await store.close();
  console.log(
    `store afterwards: ${subscriptions.length} subscriptions (${new Set(subscriptions.map((s) => s.conversation)).size} channels), ${baselines.length} baselines, ${reports.length} reports (${readable.filter(Boolean).length} readable)`,
  );
  if (
    subscriptions.length !== SUB_COUNT ||
    baselines.length !== SUB_COUNT ||
    readable.some((r) => !r)
  )
    problems.push('the store did not read back intact');

  for (const r of replicas) await stopSoakWorker(r.worker);
  const redisAfter = await usedMemory().catch(() => 0);
  redis.disconnect();
  await slack.close();
  await sim.close();
  await redisServer.close();
  rmSync(dir, { recursive: true, force: true });

  const header = [
    'tick',
    'wall',
    'floor',
    'vs floor',
    'Graph queries',
    '429s',
    'msgs/channel',
    'tick outcomes',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const mb = (b: number) => `${(b / 1_048_576).toFixed(0)} MB`;
  console.log(
    `floors (Resource Graph: 15 queries in any 5 s): full (${pages} pages − 15) ÷ 3 queries/s; incremental (the queries the quota served − 15) ÷ 3/s; wall = the scheduled minute → the last tick's log line`,
  );
  console.log(
    `peak RSS: bench + simulators ${mb(process.resourceUsage().maxRSS * 1024)}; replicas ${[...gone, ...replicas].map((r) => `${r.name} ${mb(r.peakRss)}`).join(', ')}`,
  );
  console.log(
    `Redis used_memory: ${mb(redisBefore)} before the replicas (store with baselines), peak ${mb(redisPeak)} (+${mb(redisPeak - redisBefore)}), ${mb(redisAfter)} after`,
  );
  console.log(problems.length ? `PROBLEMS:\n  ${problems.join('\n  ')}` : 'no problems');
  console.log(
    `slack simulator unexpected: ${JSON.stringify(slack.unexpected)}; ARM simulator unexpected: ${JSON.stringify(sim.unexpected)}`,
  );
  if (problems.length) process.exitCode = 1;
}
