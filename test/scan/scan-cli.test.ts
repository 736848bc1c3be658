import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
