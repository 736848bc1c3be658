// Bench: Azure DevOps discovery against the simulator at the default budget of 200 requests/min,
// served by a simulated service whose budget equals ours: 200 requests in any 60 s, the 201st
// answered 429 (X-RateLimit-Remaining/Reset sent from 80 % on). Reference: the floor the budget
// imposes, requests ÷ 200 per minute. Goals: wall ≤ 1.1× floor, zero requests failed after
// retries, no 429 at all, at most 200 requests in any 60 s window; and the same for two
// processes sharing one budget through Redis.
// DEVOPS_BENCH_SCALE scales the estate (default 1 = 300 repositories, 2,000 builds).
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import type { DevOpsInventory } from '../core/devops/devops-inventory.js';
import { DEFAULT_REQUESTS_PER_MINUTE } from '../core/devops/devops-limiter.js';
import { generateDevOpsSimSeed } from '../test/sim/devops/generate-devops-sim-seed.js';
import { startDevOpsSim } from '../test/sim/devops/start-devops-sim.js';
import { discoverBenchEstate } from './devops/discover-bench-estate.js';
import { maxInWindow } from './devops/max-in-window.js';
import { predictRequests } from './devops/predict-requests.js';

const SCALE = Number(process.env.DEVOPS_BENCH_SCALE ?? 1);
const REPOS = Math.max(1, Math.round(300 * SCALE));
const BUILDS = Math.max(1, Math.round(2_000 * SCALE));
const LATENCY_MS = Number(process.env.DEVOPS_BENCH_LATENCY_MS ?? 20);
const PAGE = 100;
const BUDGET = DEFAULT_REQUESTS_PER_MINUTE;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

if (process.argv[2] === '--child') {
  const [orgUrl, limiterId, client] = process.argv.slice(3) as [string, string, string];
  const inventory = await discoverBenchEstate({ orgUrl, limiterId, client, redisUrl: REDIS_URL });
  process.stdout.write(`${JSON.stringify(summary(inventory))}\n`);
  process.exit(0);
}

const seed = generateDevOpsSimSeed({ repositories: REPOS, builds: BUILDS });
// The service's budget equals ours: the limiter's spacing (301 ms) leaves 200 ms of slack per
// minute for network jitter, and any burst past the budget is answered 429.
const sim = await startDevOpsSim({
  seed,
  latencyMs: LATENCY_MS,
  maxPageSize: PAGE,
  rateLimit: { limit: BUDGET, windowMs: 60_000, blockAt: BUDGET },
});
const predicted = predictRequests({ repositories: REPOS, builds: BUILDS, pageSize: PAGE });
const floorS = (n: number) => (n / BUDGET) * 60;
let ok = true;
const check = (pass: boolean, what: string) => {
  if (!pass) {
    ok = false;
    console.log(`  FAILED: ${what}`);
  }
};

console.log(
  `Azure DevOps discovery · ${fmt(REPOS)} repositories with last commits, ${fmt(BUILDS)} builds · budget ${BUDGET} requests/min · simulated latency ${LATENCY_MS} ms`,
);
console.log(
  `  requests predicted            ${fmt(predicted)}  → floor ${floorS(predicted).toFixed(1)} s`,
);

const t0 = performance.now();
const alone = await discoverBenchEstate({
  orgUrl: sim.orgUrl,
  limiterId: `bench-alone-${process.pid}`,
  client: 'alone',
});
const wall = (performance.now() - t0) / 1000;
const made = sim.requests.length;
const blocked = sim.requests.filter((r) => r.outcome === 'blocked').length;
const delayed = sim.requests.filter((r) => r.outcome === 'delayed').length;
const s = summary(alone);
console.log(
  `  requests made                 ${fmt(made)} (${s.retries} retries, ${blocked} × 429, ${delayed} delayed, ${s.failed} failed after retries)`,
);
console.log(`  floor (requests ÷ budget)     ${floorS(made).toFixed(1)} s`);
console.log(
  `  wall                          ${wall.toFixed(1)} s  = ${(wall / floorS(made)).toFixed(3)}× floor (goal ≤ 1.1×)`,
);
const peakAlone = maxInWindow(
  sim.requests.map((r) => r.wallAt),
  60_000,
);
console.log(`  highest rate in any 60 s      ${peakAlone} requests (budget ${BUDGET})`);
check(peakAlone <= BUDGET, 'more requests than the budget in some 60 s window');
check(wall <= 1.1 * floorS(made), 'wall time above 1.1× the floor');
check(s.failed === 0 && blocked === 0, 'a request failed or was answered 429');
check(
  s.complete && s.repositories === REPOS && s.withCommit === REPOS && s.builds === BUILDS,
  `inventory not complete and exact: ${JSON.stringify(s)}`,
);

if (await redisReachable(REDIS_URL)) {
  sim.requests.length = 0;
  const limiterId = `driftwatch:bench:devops:${process.pid}:${Date.now()}`;
  const t1 = performance.now();
  const children = await Promise.all(
    ['a', 'b'].map((name) => runChild(sim.orgUrl, limiterId, name)),
  );
  const wall2 = (performance.now() - t1) / 1000;
  const total = sim.requests.length;
  const peak = maxInWindow(
    sim.requests.map((r) => r.wallAt),
    60_000,
  );
  const blocked2 = sim.requests.filter((r) => r.outcome === 'blocked').length;
  const per = ['a', 'b']
    .map((c) => `${c} ${fmt(sim.requests.filter((r) => r.client === c).length)}`)
    .join(', ');
  console.log(
    `two processes sharing one budget through Redis (${REDIS_URL.replace(/\/\/[^@]*@/, '//')}, limiter id shared)`,
  );
  console.log(
    `  requests                      ${fmt(total)} (${per}), ${blocked2} × 429, ${children.reduce((a, c) => a + c.failed, 0)} failed`,
  );
  console.log(`  highest rate in any 60 s      ${peak} requests (budget ${BUDGET})`);
  console.log(
    `  wall                          ${wall2.toFixed(1)} s  = ${(wall2 / floorS(total)).toFixed(3)}× floor of the combined requests (${floorS(total).toFixed(1)} s)`,
  );
  check(peak <= BUDGET, 'the two processes together exceeded the budget');
  check(
    blocked2 === 0 && children.every((c) => c.complete && c.failed === 0),
    'a process failed or was answered 429',
  );
} else {
  console.log(`two processes sharing Redis: SKIPPED (no Redis at ${REDIS_URL})`);
}
await sim.close();
process.exitCode = ok ? 0 : 1;

function summary(inventory: DevOpsInventory) {
  const p = inventory.projects[0];
  return {
    complete: inventory.complete,
    repositories: p?.repositories.length ?? 0,
    withCommit: p?.repositories.filter((r) => r.lastCommit).length ?? 0,
    builds: p?.builds.length ?? 0,
    retries: inventory.requests.retries,
    failed: inventory.requests.failed,
  };
}

function runChild(
  orgUrl: string,
  limiterId: string,
  name: string,
): Promise<ReturnType<typeof summary>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [process.argv[1] as string, '--child', orgUrl, limiterId, name],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${name} exited ${code}`)),
    );
  });
}

function redisReachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((done) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    socket.setTimeout(500, () => {
      socket.destroy();
      done(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
