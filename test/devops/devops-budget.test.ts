import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maxInWindow } from '../../bench/devops/max-in-window.js';
import { systemClock } from '../../core/clock.js';
import { discoverInventory } from '../../core/devops/discover-inventory.js';
import { openDevOps } from '../../core/devops/open-devops.js';
import { generateDevOpsSimSeed } from '../sim/devops/generate-devops-sim-seed.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

// A scaled minute: at 600 requests/min the limiter starts requests 101 ms apart, so at most 30
// fit in any 2,930 ms window (29 gaps × 101 ms = 2,929 ms). The simulated service allows exactly
// those 30 and answers 429 to the 31st: its budget equals ours. Near the limit it sends
// X-RateLimit-Remaining: 0 and X-RateLimit-Reset, which makes the client pause.
const RPM = 600;
const WINDOW_MS = 2_930;
const LIMIT = 30;

// Answers take longer than the spacing, as over a real network: the client learns that the
// window is full only after it has sent the next request or two.
async function startBudgetSim(repositories: number): Promise<DevOpsSim> {
  return startDevOpsSim({
    seed: generateDevOpsSimSeed({ repositories, builds: 150 }),
    maxPageSize: 100,
    latencyMs: 250,
    rateLimit: { limit: LIMIT, windowMs: WINDOW_MS, blockAt: LIMIT },
  });
}

const dataRequests = (sim: DevOpsSim) =>
  sim.requests.filter((r) => r.outcome === 'ok' || r.outcome === 'blocked');

describe('Azure DevOps budget under a server whose budget equals ours', () => {
  let sim: DevOpsSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('one process never exceeds the budget in any window and draws no 429, across pauses', async () => {
    sim = await startBudgetSim(90);
    // A pause shorter than the window, asked for while the window is full (Retry-After on one
    // answer): jobs already started must not all send when it ends.
    sim.inject({
      match: /repositories\/10000000-0000-4000-8000-000000000060\/commits/,
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    const session = openDevOps({
      orgUrl: sim.orgUrl,
      auth: { kind: 'pat', token: 'sim-pat' },
      limiterId: `budget-${process.pid}-${Date.now()}`,
      requestsPerMinute: RPM,
    });

    const inventory = await discoverInventory({
      api: session.api,
      orgUrl: sim.orgUrl,
      stats: session.connection.stats,
      clock: systemClock,
      maxBuilds: 1_000_000,
    }).finally(() => session.close());

    const served = dataRequests(sim);
    expect(sim.unexpected).toEqual([]);
    expect(inventory.complete).toBe(true);
    expect(served.filter((r) => r.outcome === 'blocked').length).toBe(0);
    expect(
      maxInWindow(
        served.map((r) => r.wallAt),
        WINDOW_MS,
      ),
    ).toBeLessThanOrEqual(LIMIT);
    // The run reached the server's limit, so the pause path was exercised.
    expect(served.length).toBeGreaterThan(2 * LIMIT);
  }, 60_000);
});

describe('Azure DevOps throttling and the run signal', () => {
  it('emits no MaxListenersExceededWarning while many requests wait out a pause', async () => {
    const sim = await startDevOpsSim({
      seed: generateDevOpsSimSeed({ repositories: 40, builds: 10 }),
    });
    sim.inject({ match: /\/commits/, status: 429, retryAfter: 1, times: 1 });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const session = openDevOps({
      orgUrl: sim.orgUrl,
      auth: { kind: 'pat', token: 'sim-pat' },
      limiterId: `signal-${process.pid}-${Date.now()}`,
      requestsPerMinute: 60_000,
      signal: controller.signal,
    });

    const inventory = await discoverInventory({
      api: session.api,
      orgUrl: sim.orgUrl,
      stats: session.connection.stats,
      clock: systemClock,
      signal: controller.signal,
    }).finally(async () => {
      await session.close();
      await sim.close();
      await new Promise((done) => setImmediate(done));
      process.off('warning', onWarning);
    });

    expect(inventory.complete).toBe(true);
    expect(inventory.requests.throttled).toBe(1);
    expect(warnings).toEqual([]);
  });
});

describeWithRedis('Azure DevOps budget shared by two processes through Redis', () => {
  let sim: DevOpsSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('two OS processes with one clustered limiter stay within the budget and draw no 429', async () => {
    sim = await startBudgetSim(45);
    const child = await buildTestChild('test/devops/discover-budget-child.ts');
    const limiterId = `driftwatch:test:budget:${process.pid}:${Date.now()}`;
    const orgUrl = sim.orgUrl;

    const results = await Promise.all(
      ['a', 'b'].map((client) =>
        runChild(child, [orgUrl, limiterId, client, String(RPM), REDIS_URL]),
      ),
    ).finally(() => rmSync(dirname(child), { recursive: true, force: true }));

    const served = dataRequests(sim);
    expect(sim.unexpected).toEqual([]);
    expect(results).toEqual([
      { complete: true, failed: 0 },
      { complete: true, failed: 0 },
    ]);
    expect(new Set(served.map((r) => r.client))).toEqual(new Set(['a', 'b']));
    expect(served.filter((r) => r.outcome === 'blocked').length).toBe(0);
    expect(
      maxInWindow(
        served.map((r) => r.wallAt),
        WINDOW_MS,
      ),
    ).toBeLessThanOrEqual(LIMIT);
    expect(served.length).toBeGreaterThan(2 * LIMIT);
  }, 90_000);
});

function runChild(file: string, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}
