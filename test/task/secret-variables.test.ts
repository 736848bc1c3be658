import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { startFakeOidcEndpoint } from './fake-oidc-endpoint.js';
import { ensureTaskBundle, runTaskBundle } from './run-task-bundle.js';
import {
  agentVariables,
  CONNECTION,
  endpointVariables,
  inputs,
  spnSecret,
} from './task-agent-env.js';
import { taskEstate } from './task-estate.js';

// Redis's default user has no password here, so it accepts any: the run really uses the URL.
const PASSWORD = 'Zq8-redis-access-key-never-printed';
const STORE_URL = (() => {
  const url = new URL(REDIS_URL);
  url.username = 'default';
  url.password = PASSWORD;
  return url.toString();
})();

describeWithRedis('DriftGate task: the store URL from the DRIFTWATCH_REDIS_URL variable', () => {
  let sim: ArmSimulator;
  let dir: string;
  const scope = `task-secret-${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    ensureTaskBundle();
    sim = await startArmSimulator({ resources: taskEstate() });
    dir = mkdtempSync(join(tmpdir(), 'driftgate-secret-'));
    mkdirSync(join(dir, '_temp'));
    mkdirSync(join(dir, 's'));
    writeFileSync(join(dir, 'sim-ca.pem'), sim.caPem);
  });
  afterAll(async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    // This scope's keys only; the shared indexes stay as other suites left them.
    const keys = await client.keys(`driftwatch*${scope}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [
      'a secret variable',
      { SECRET_DRIFTWATCH_REDIS_URL: STORE_URL, VSTS_SECRET_VARIABLES: '["DRIFTWATCH_REDIS_URL"]' },
    ],
    ['a plain variable', { DRIFTWATCH_REDIS_URL: STORE_URL }],
  ])(
    'never prints the password of a URL given as %s, even with system.debug on',
    async (_, variable) => {
      const run = await runTaskBundle({
        NODE_EXTRA_CA_CERTS: join(dir, 'sim-ca.pem'),
        ...agentVariables(dir),
        SYSTEM_DEBUG: 'true',
        ...variable,
        ...spnSecret(sim),
        ...inputs({
          azureSubscription: CONNECTION,
          scopeName: scope,
          command: 'record',
          baselineSource: 'store',
        }),
      });

      expect(run.result).toBe('Succeeded');
      // Debug lines are on: the agent shows ##vso[task.debug] lines as ##[debug].
      expect(run.stdout).toContain('##vso[task.debug]system.debug=true');
      const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.includes(PASSWORD));
      // Only the lines that tell the agent to mask it (the agent consumes them, never shows them).
      expect(lines).toEqual([
        `##vso[task.setsecret]${STORE_URL}`,
        `##vso[task.setsecret]${PASSWORD}`,
      ]);
    },
  );
});

describe('DriftGate task: the job token from the System.AccessToken variable', () => {
  const TOKEN = 'job-access-token-from-a-variable-0123';

  it.each([
    [
      'a secret variable',
      { SECRET_SYSTEM_ACCESSTOKEN: TOKEN, VSTS_SECRET_VARIABLES: '["System.AccessToken"]' },
    ],
    ['a plain variable', { SYSTEM_ACCESSTOKEN: TOKEN }],
  ])('never prints it when given as %s, even with system.debug on', async (_, variable) => {
    ensureTaskBundle();
    const sim = await startArmSimulator({ resources: taskEstate() });
    const oidc = await startFakeOidcEndpoint({
      status: 200,
      body: JSON.stringify({ oidcToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYzovL2MvcC9uIn0.c2ln' }),
    });
    const dir = mkdtempSync(join(tmpdir(), 'driftgate-token-'));
    mkdirSync(join(dir, '_temp'));
    mkdirSync(join(dir, 's'));
    writeFileSync(join(dir, 'ca.pem'), `${sim.caPem}${oidc.caPem}`);

    const run = await runTaskBundle({
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      ...agentVariables(dir),
      SYSTEM_DEBUG: 'true',
      SYSTEM_OIDCREQUESTURI: oidc.url,
      ...variable,
      ...endpointVariables(sim, 'WorkloadIdentityFederation', {
        serviceprincipalid: 'wif-client',
        tenantid: sim.tenantId,
      }),
      ...inputs({
        azureSubscription: CONNECTION,
        scopeName: 'prod',
        command: 'record',
        baselineSource: 'file',
        baselineFile: 'baseline.json',
      }),
    }).finally(async () => {
      await oidc.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    });

    expect(run.result).toBe('Succeeded');
    expect(oidc.seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
    const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.includes(TOKEN));
    expect(lines).toEqual([`##vso[task.setsecret]${TOKEN}`]);
  });
});
