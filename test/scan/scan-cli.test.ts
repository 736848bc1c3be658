import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../core/model/report.js';
import type { ArmResource } from '../../core/model/resource.js';
import { fakeEstate, SUB_A, SUB_B } from '../collect/fake-estate.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../sim/arm/sim-authority.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { PROJECT_ROOT } from '../support/requirements.js';

const BIN = join(PROJECT_ROOT, 'bin/driftwatch.js');

/** A local port nothing listens on: bound, then released. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `driftwatch scan` and `snapshot` end to end: the built CLI (`npm run build`) in a child process,
 * trusting the simulator's certificate through NODE_EXTRA_CA_CERTS, with a client-secret
 * credential against the simulator's Entra endpoints.
 */
// test/global-setup.ts builds the CLI before any suite runs.
describe('driftwatch scan (built CLI against the ARM simulator)', () => {
  let sim: ArmSimulator;
  let dir: string;
  let estate: ArmResource[];
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = await startArmSimulator();
  });
  afterAll(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });
  beforeEach(() => {
    estate = fakeEstate(SUB_A, 4);
    for (const r of sim.estate.all()) sim.estate.remove(r.id);
    sim.estate.put(...estate);
    sim.faults.clear();
    sim.permitAll();
    dir = mkdtempSync(join(tmpdir(), 'dw-scan-'));
    writeFileSync(join(dir, 'ca.pem'), sim.caPem);
    writeFileSync(
      join(dir, 'driftwatch.config.yaml'),
      [
        'azure:',
        `  endpoints: { resourceManager: "${sim.url}", authorityHost: "${sim.url}" }`,
        `  credential: { kind: client-secret, tenantId: "${sim.tenantId}", clientId: "${SIM_CLIENT_ID}" }`,
        '  collect: { maxRetries: 1 }',
        'scopes:',
        `  prod: { subscriptions: ["${SUB_A}"] }`,
        `  gone: { subscriptions: ["${SUB_B}"] }`,
      ].join('\n'),
    );
    env = {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      AZURE_CLIENT_SECRET: SIM_CLIENT_SECRET,
      DRIFTWATCH_STORE: join(dir, 'store.sqlite'),
    };
  });

  const cli = (args: string[], options: { signalAfterMs?: number } = {}) =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        { cwd: dir, env, timeout: 20_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
      if (options.signalAfterMs) setTimeout(() => child.kill('SIGINT'), options.signalAfterMs);
    });

  it('saves a baseline, then exits 2 on drift with the change in the report', async () => {
    const first = await cli(['scan', 'prod', '--save-baseline']);
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });

    const second = await cli(['scan', 'prod', '--format', 'json']);

    expect(first.code).toBe(0);
    expect(first.stderr).toContain('driftwatch: baseline saved for scope prod (6 resources)');
    expect(second.code).toBe(2);
    const report = JSON.parse(second.stdout) as Report;
    expect(
      report.findings.map((f) => [f.resourceName, f.change, f.changes.map((c) => c.path)]),
    ).toEqual([['st0', 'modified', ['properties.allowBlobPublicAccess']]]);
  });

  it('scans incrementally with --incremental: re-reads the changed resource, says so, same drift', async () => {
    const first = await cli(['scan', 'prod', '--incremental', '--save-baseline']);
    const st0 = estate[0] as ArmResource;
    sim.estate.write({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });

    const second = await cli(['scan', 'prod', '--incremental', '--format', 'json']);

    expect(first.code).toBe(0);
    expect(first.stderr).toContain('driftwatch: full scan: no complete scan to start from yet\n');
    expect(second.stderr).toMatch(
      /driftwatch: incremental scan: 1 re-read, 5 carried forward unchanged \(changes \S+ → \S+\)\n/,
    );
    expect(second.code).toBe(2);
    const report = JSON.parse(second.stdout) as Report;
    expect(report.findings.map((f) => [f.resourceName, f.change])).toEqual([['st0', 'modified']]);
  });

  it('refuses --incremental with --full in one clear error', async () => {
    const run = await cli(['scan', 'prod', '--incremental', '--full']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '--incremental' cannot be used with option '--full'");
  });

  it('checks a named scope by collecting it when no --current file is given', async () => {
    const before = await cli(['check', '--scope', 'prod']);
    await cli(['scan', 'prod', '--save-baseline']);
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, tags: { ...st0.tags, env: 'Prod' } });

    const checked = await cli(['check', '--scope', 'prod', '--format', 'json', '--fail-on', 'low']);

    expect([before.code, before.stderr.trim().split('\n').at(-1)]).toEqual([
      1,
      'driftwatch: no baseline for scope "prod"; record one with: driftwatch scan prod --save-baseline',
    ]);
    expect(checked.code).toBe(2);
    const report = JSON.parse(checked.stdout) as Report;
    expect(
      report.findings.map((f) => [f.resourceName, f.changes.map((c) => [c.path, c.after])]),
    ).toEqual([['st0', [['tags.env', 'Prod']]]]);
  });

  it('reports an unreadable resource as unknown and will not make the scan a baseline (exit 1)', async () => {
    await cli(['scan', 'prod', '--save-baseline']);
    sim.faults.add({
      match: /storageAccounts\/st2\?/,
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const run = await cli(['scan', 'prod', '--via', 'arm', '--save-baseline', '--format', 'json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.complete).toBe(false);
    expect(report.findings.map((f) => [f.resourceName, f.change])).toEqual([['st2', 'unknown']]);
    expect(run.stderr).toContain(
      'driftwatch: not saved as the baseline: 1 part(s) of the scope could not be read',
    );
  });

  it('exits 3 when part of the scope could not be read, and says so; --allow-incomplete exits 0', async () => {
    await cli(['scan', 'prod', '--save-baseline']);
    sim.faults.add({
      match: /storageAccounts\/st2\?/,
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const gated = await cli(['scan', 'prod', '--via', 'arm']);
    const allowed = await cli(['scan', 'prod', '--via', 'arm', '--allow-incomplete']);

    expect(gated.code).toBe(3);
    expect(gated.stderr).toContain(
      'driftwatch: incomplete: part of the scope could not be read, so this is not an all-clear; exit 3 (--allow-incomplete accepts it)',
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain(
      'driftwatch: incomplete result accepted (--allow-incomplete); exit 0',
    );
  });

  it('exits 3 for an incomplete scan of a scope without a baseline, and for an incomplete snapshot', async () => {
    sim.faults.add({
      match: /storageAccounts\/st2\?/,
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const first = await cli(['scan', 'prod', '--via', 'arm']);
    const snapshot = await cli(['snapshot', 'prod', '--via', 'arm', '--out', 'prod.json']);

    expect([first.code, snapshot.code]).toEqual([3, 3]);
  });

  it('drift at or above --fail-on wins over an incomplete scan (exit 2)', async () => {
    await cli(['scan', 'prod', '--save-baseline']);
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });
    sim.faults.add({
      match: /storageAccounts\/st2\?/,
      action: { kind: 'status', status: 503 },
      times: 100,
    });

    const run = await cli(['scan', 'prod', '--via', 'arm']);

    expect(run.code).toBe(2);
  });

  it('exits 1 with one clear error when nothing of the scope could be read (unreachable endpoint)', async () => {
    const closed = await closedPort();
    writeFileSync(
      join(dir, 'driftwatch.config.yaml'),
      [
        'azure:',
        `  endpoints: { resourceManager: "https://127.0.0.1:${closed}", authorityHost: "${sim.url}" }`,
        `  credential: { kind: client-secret, tenantId: "${sim.tenantId}", clientId: "${SIM_CLIENT_ID}" }`,
        '  collect: { maxRetries: 0 }',
        'scopes:',
        `  prod: { subscriptions: ["${SUB_A}"] }`,
      ].join('\n'),
    );

    const run = await cli(['scan', 'prod']);

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `driftwatch: scope prod could not be read at all (Resource Graph at 127.0.0.1:${closed} · 1 subscription): subscription ${SUB_A}: connect ECONNREFUSED 127.0.0.1:${closed}; check the endpoint, the network or proxy, and that Azure is reachable from here`,
    );
  });

  it('names the endpoint and NODE_EXTRA_CA_CERTS when the ARM certificate is not trusted', async () => {
    writeFileSync(
      join(dir, 'driftwatch.config.yaml'),
      [
        'azure:',
        `  endpoints: { resourceManager: "${sim.url}", authorityHost: "${sim.url}" }`,
        'scopes:',
        `  prod: { subscriptions: ["${SUB_A}"] }`,
      ].join('\n'),
    );
    delete env.NODE_EXTRA_CA_CERTS;
    env.DRIFTWATCH_ACCESS_TOKEN = sim.authority.issue(SIM_CLIENT_ID, 3600);

    const run = await cli(['scan', 'prod']);

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `driftwatch: subscription ${SUB_A}: could not verify the TLS certificate of ${sim.url} (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate); if a private CA signs it (a proxy, the ARM simulator), point NODE_EXTRA_CA_CERTS at that CA's certificate (PEM)`,
    );
  });

  it('names the sign-in endpoint and NODE_EXTRA_CA_CERTS when its certificate is not trusted', async () => {
    delete env.NODE_EXTRA_CA_CERTS;

    const run = await cli(['scan', 'prod']);

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `driftwatch: could not get an Azure token from ${sim.url}: it could not be reached or its TLS certificate is not trusted; check azure.endpoints.authorityHost / AZURE_AUTHORITY_HOST and the network or proxy, and for a private CA (a proxy, the ARM simulator) point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)`,
    );
  });

  it.each([
    [['scan', 'gone'], `subscription ${SUB_B}: The subscription '${SUB_B}' could not be found.`],
    [
      ['scan', '--subscription', SUB_A, '--resource-group', 'rg-nope'],
      `resource group rg-nope not found in subscription ${SUB_A}`,
    ],
    [
      ['scan', '--subscription', 'not-a-guid'],
      '--subscription "not-a-guid": expected a subscription id (GUID)',
    ],
    [['scan', 'prod', '--tag', 'novalue'], '--tag "novalue": expected key=value'],
    [
      ['scan', 'prod', '--via', 'rest'],
      "option '--via <path>' argument 'rest' is invalid. Allowed choices are graph, arm.",
    ],
  ])('%o exits 1 with a clear error and writes no baseline', async (args, message) => {
    const run = await cli([...args, '--save-baseline']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect((await cli(['baseline', 'list'])).stdout).toContain('no baselines yet');
  });

  it('names the missing permission on 403', async () => {
    sim.forbid(`/subscriptions/${SUB_A}`);

    const run = await cli(['scan', 'prod']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `missing permission Microsoft.Resources/subscriptions/read on /subscriptions/${SUB_A} (the built-in Reader role grants it)`,
    );
    sim.estate.put(...estate);
  });

  it('refuses a wrong client secret without printing it', async () => {
    env.AZURE_CLIENT_SECRET = 'definitely-wrong-secret';

    const run = await cli(['scan', 'prod']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('could not get an Azure token');
    expect(run.stderr).not.toContain('definitely-wrong-secret');
  });

  it('writes the collected snapshot to a file with `driftwatch snapshot`', async () => {
    const run = await cli(['snapshot', 'prod', '--via', 'arm', '--out', 'prod.json']);

    expect(run.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(dir, 'prod.json'), 'utf8')) as {
      resources: ArmResource[];
      complete: boolean;
    };
    expect(snapshot.complete).toBe(true);
    expect(snapshot.resources).toEqual(
      [...estate].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1)),
    );
  });

  it('leaves the store as it was when interrupted with Ctrl-C', async () => {
    await cli(['scan', 'prod', '--save-baseline']);
    const before = (await cli(['baseline', 'list'])).stdout;
    sim.faults.set({ latencyMs: { min: 400, max: 400 } });

    const run = await cli(['scan', 'prod', '--save-baseline'], { signalAfterMs: 900 });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('interrupted: nothing was saved, the store is as it was');
    sim.faults.clear();
    expect((await cli(['baseline', 'list'])).stdout).toBe(before);
  });
});
