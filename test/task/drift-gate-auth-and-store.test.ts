import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/open-store.js';
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
import { sshOpenToAny, taskEstate } from './task-estate.js';

describe('DriftGate task: authentication schemes, shared store and cold start', () => {
  let sim: ArmSimulator;
  let dir: string;
  let agent: Record<string, string>;

  beforeAll(() => ensureTaskBundle());
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: taskEstate() });
    dir = mkdtempSync(join(tmpdir(), 'driftgate-'));
    mkdirSync(join(dir, '_temp'));
    mkdirSync(join(dir, 's'));
    writeFileSync(join(dir, 'sim-ca.pem'), sim.caPem);
    agent = { NODE_EXTRA_CA_CERTS: join(dir, 'sim-ca.pem'), ...agentVariables(dir) };
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileBaseline = inputs({
    azureSubscription: CONNECTION,
    scopeName: 'prod',
    command: 'record',
    baselineSource: 'file',
    baselineFile: 'baseline.json',
  });
  const tokenRequests = () => sim.requests.filter((r) => /\/oauth2\/v2\.0\/token/.test(r.url));

  it('authenticates with a service principal certificate (client assertion signed with the PEM)', async () => {
    // Entra signs client assertions with RS256/PS256, so service principal certificates are RSA.
    const pem = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=drift-gate-test',
        '-keyout',
        '-',
        '-out',
        '-',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const keyPem =
      /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)?.[0] ?? '';

    const run = await runTaskBundle({
      ...agent,
      ...endpointVariables(sim, 'ServicePrincipal', {
        serviceprincipalid: 'cert-client',
        tenantid: sim.tenantId,
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: pem,
      }),
      ...fileBaseline,
    });

    expect(run.result).toBe('Succeeded');
    expect(tokenRequests().map((r) => r.status)).toEqual([200]);
    const bodyLine = keyPem.split('\n')[1] as string;
    expect(run.secrets).toContain(bodyLine);
    expect(run.stdout.split('\n').filter((l) => l.includes(bodyLine))).toEqual([
      `##vso[task.setsecret]${bodyLine}`,
    ]);
  });

  it('gets the OIDC token from Azure Pipelines with the job token and exchanges it', async () => {
    const oidc = await startFakeOidcEndpoint({
      status: 200,
      body: JSON.stringify({ oidcToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYzovL2MvcC9uIn0.c2ln' }),
    });
    // The agent trusts both the simulator's and the DevOps endpoint's certificates.
    writeFileSync(join(dir, 'sim-ca.pem'), `${sim.caPem}${oidc.caPem}`);

    const run = await runTaskBundle({
      ...agent,
      SYSTEM_OIDCREQUESTURI: oidc.url,
      ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({
        scheme: 'OAuth',
        parameters: { AccessToken: 'job-access-token-value' },
      }),
      ...endpointVariables(sim, 'WorkloadIdentityFederation', {
        serviceprincipalid: 'wif-client',
        tenantid: sim.tenantId,
      }),
      ...fileBaseline,
    }).finally(() => oidc.close());

    expect(run.result).toBe('Succeeded');
    expect(oidc.seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      [
        'POST',
        `/org/proj/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken?api-version=7.1&serviceConnectionId=${CONNECTION}`,
        'Bearer job-access-token-value',
      ],
    ]);
    expect(tokenRequests().map((r) => r.status)).toEqual([200]);
    expect(run.secrets).toEqual(
      expect.arrayContaining([
        'job-access-token-value',
        'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYzovL2MvcC9uIn0.c2ln',
      ]),
    );
  });

  it("sends ARM and Entra traffic through the agent's proxy", async () => {
    const tunnels: string[] = [];
    const sockets = new Set<Socket>();
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host as string, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const { port } = proxy.address() as AddressInfo;

    const run = await runTaskBundle({
      ...agent,
      AGENT_PROXYURL: `http://127.0.0.1:${port}`,
      ...spnSecret(sim),
      ...fileBaseline,
    }).finally(
      () =>
        new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          proxy.close(() => done());
        }),
    );

    expect(run.result).toBe('Succeeded');
    expect([...new Set(tunnels)]).toEqual([new URL(sim.url).host]);
    expect(tunnels.length).toBeGreaterThan(0);
  });

  it('reaches Azure within 1.5 s of process start (cold start)', async () => {
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = sim.requests.length;
      const started = performance.now();
      let firstRequestAt: number | undefined;
      const poll = setInterval(() => {
        if (firstRequestAt === undefined && sim.requests.length > before) {
          firstRequestAt = performance.now();
        }
      }, 1);
      const run = await runTaskBundle({ ...agent, ...spnSecret(sim), ...fileBaseline });
      clearInterval(poll);
      expect(run.result).toBe('Succeeded');
      timings.push(Math.round((firstRequestAt ?? Number.POSITIVE_INFINITY) - started));
    }

    process.stdout.write(
      `DriftGate cold start to first simulator request: ${timings.join(', ')} ms\n`,
    );
    for (const ms of timings) expect(ms).toBeLessThan(1_500);
  });

  describeWithRedis('with the shared Redis store', () => {
    const scope = `task-e2e-${process.pid}-${Date.now().toString(36)}`;
    const redis = () => new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

    it('record → check passes, check after a change fails, and the bot sees the pipeline-tagged baseline', async () => {
      const env = {
        ...agent,
        ...spnSecret(sim),
        ...inputs({
          azureSubscription: CONNECTION,
          scopeName: scope,
          baselineSource: 'store',
          storeConnectionString: REDIS_URL,
        }),
      };

      const recorded = await runTaskBundle({ ...env, INPUT_COMMAND: 'record' });
      const clean = await runTaskBundle({ ...env, INPUT_COMMAND: 'check' });
      sim.estate.put(sshOpenToAny());
      const drifted = await runTaskBundle({ ...env, INPUT_COMMAND: 'check' });
      // What the bot sees: the store on the same Redis, read through its own port.
      const bot = await openStore({ redisUrl: REDIS_URL });
      const stored = await bot.getBaseline(scope);
      await bot.close();
      const client = redis();
      // This scope's keys only; the shared indexes stay as other suites left them.
      const keys = await client.keys(`driftwatch:*${scope}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();

      expect(recorded.result).toBe('Succeeded');
      expect(clean.result).toBe('Succeeded');
      expect(drifted.result).toBe('Failed');
      expect(drifted.outputs).toMatchObject({ driftCount: '1', driftMaxSeverity: 'critical' });
      expect(stored?.record).toMatchObject({
        setBy: 'pipeline api-deploy',
        resources: 4,
        source: {
          kind: 'pipeline',
          description: 'pipeline "api-deploy", run 20261121.1 (commit 9e1c2f0)',
          pipeline: { definition: 'api-deploy', runId: '4411', commit: '9e1c2f0d4b5a6978' },
        },
      });
    });
  });
});
