import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { parseConfig } from '../../core/config/load-config.js';
import { ConfigError, PermissionError } from '../../core/errors.js';
import type { ArmResource } from '../../core/model/resource.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { contosoSeed } from '../devops/devops-test-kit.js';
import { SimEstate } from '../sim/arm/sim-estate.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import {
  deployBaseline,
  redeployConfig,
  redeployConfigDocument,
  simRedeployRemediation,
} from './redeploy-harness.js';
import {
  driftEstate,
  fakeClock,
  remediationEstate,
  STORAGE_ID,
  scanScope,
} from './remediation-harness.js';

const ada = { id: 'cli:ada' };
const bob = { id: 'cli:bob' };

describe('Remediation redeploy (ARM and Azure DevOps simulators, real SDK clients)', () => {
  let arm: ArmSimulator;
  let devops: DevOpsSim;
  let store: DriftStore;
  let clock: ReturnType<typeof fakeClock>;
  let finding: string;
  let remediation: Remediation;

  const setUp = (options: Parameters<typeof redeployConfig>[2] = {}): DriftwatchConfig => {
    const config = redeployConfig(arm, devops, options);
    remediation = simRedeployRemediation(arm, store, config, clock);
    return config;
  };
  const approved = async () => {
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [finding],
      strategy: 'redeploy',
      actor: ada,
      reason: 'portal change',
    });
    await remediation.approve({ id: plan.id, actor: bob });
    return plan;
  };
  /** ARM requests other than reads and sign-in: the identity must stay read-only. */
  const armWrites = () =>
    arm.requests.filter((r) => r.method !== 'GET' && !/oauth2|well-known/.test(r.url));

  beforeEach(async () => {
    arm = await startArmSimulator({ resources: remediationEstate() });
    devops = await startDevOpsSim({ seed: contosoSeed() });
    store = await openStore({ memory: true });
    clock = fakeClock();
    const config = setUp();
    await scanScope(arm, store, config, true);
    driftEstate(arm);
    const scanned = await scanScope(arm, store, config);
    finding = scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
    devops.runs.onComplete = (run) => {
      if (run.wire.result === 'succeeded') deployBaseline(arm);
    };
  });
  afterEach(async () => {
    expect(arm.unexpected).toEqual([]);
    expect(devops.unexpected).toEqual([]);
    await remediation.close();
    await store.close();
    await arm.close();
    await devops.close();
  });

  it('queues the configured pipeline once with its branch and parameters, follows the run to success, verifies, and never writes to ARM', async () => {
    devops.runs.pollsBeforeDone = 2;

    const plan = await approved();
    const applied = await remediation.apply({ id: plan.id, actor: ada });

    const base = `${devops.orgUrl}/platform/_apis/pipelines/1`;
    const body = {
      resources: { repositories: { self: { refName: 'refs/heads/main' } } },
      templateParameters: { environment: 'prod', replicas: '3' },
    };
    expect(plan.pipeline).toEqual({
      orgUrl: devops.orgUrl,
      project: 'platform',
      pipelineId: 1,
      pipelineName: 'api-deploy',
      branch: 'refs/heads/main',
      parameters: { environment: 'prod', replicas: '3' },
      source: 'config',
      why: 'configured in remediation.scopes.prod.redeploy',
    });
    expect(plan.requests).toEqual([
      {
        resourceId: base,
        method: 'POST',
        url: `${base}/runs?api-version=7.1`,
        apiVersion: '7.1',
        body,
        omitted: [],
      },
    ]);
    const [run] = devops.runs.queued;
    expect(devops.runs.queued).toHaveLength(1);
    expect(run?.body).toEqual(body);
    expect(run?.polls).toBe(3);
    const link = `${devops.orgUrl}/platform/_build/results?buildId=${run?.id}`;
    expect(applied.state).toBe('applied');
    expect(applied.run).toMatchObject({
      status: 'completed',
      runId: run?.id,
      url: link,
      state: 'completed',
      result: 'succeeded',
    });
    expect(applied.outcome).toBe(
      `run ${run?.id} of pipeline "api-deploy" (platform, id 1) succeeded: ${link}; the drift is gone`,
    );
    expect(applied.verification?.remaining).toEqual([]);
    expect(armWrites()).toEqual([]);
    const queueRequests = devops.requests.filter((r) => r.method === 'POST');
    expect(queueRequests.map((r) => r.path)).toEqual(['/contoso/platform/_apis/pipelines/1/runs']);
    const audit = await readAudit(store, { planId: plan.id });
    expect(audit.map((e) => [e.actor, e.action, e.result, e.state])).toEqual([
      ['cli:ada', 'request', 'ok', 'pending'],
      ['cli:bob', 'approve', 'ok', 'approved'],
      ['cli:ada', 'apply', 'ok', 'applying'],
      ['cli:ada', 'write', 'ok', 'applying'],
      ['cli:ada', 'verify', 'ok', 'applied'],
    ]);
    expect(audit[3]?.message).toBe(
      `POST queue pipeline "api-deploy" (platform, id 1): run ${run?.id} queued ${link}`,
    );
    expect(audit[3]?.requests).toEqual(plan.requests);
  });

  it.each([['failed' as const], ['canceled' as const]])(
    'a run that ends %s fails the plan with the run link, and nothing is verified',
    async (result) => {
      devops.runs.result = result;

      const plan = await approved();
      const done = await remediation.apply({ id: plan.id, actor: ada });

      const [run] = devops.runs.queued;
      const link = `${devops.orgUrl}/platform/_build/results?buildId=${run?.id}`;
      expect(devops.runs.queued).toHaveLength(1);
      expect(done.state).toBe('failed');
      expect(done.outcome).toBe(
        `run ${run?.id} of pipeline "api-deploy" (platform, id 1) ended ${result}: ${link}; the drift was not verified`,
      );
      expect(done.run).toMatchObject({ status: 'completed', result, url: link });
      expect(done.verification).toBeUndefined();
      const audit = await readAudit(store, { planId: plan.id });
      expect(audit.at(-1)).toMatchObject({ action: 'apply', result: 'failed', state: 'failed' });
      expect(armWrites()).toEqual([]);
    },
  );

  it('infers the owning pipeline from the DevOps inventory when the scope names none (api-deploy deploys to environment prod)', async () => {
    setUp({ redeploy: null });

    const plan = await remediation.plan({
      scope: 'prod',
      findings: [finding],
      strategy: 'redeploy',
      actor: ada,
    });

    expect(plan.pipeline).toEqual({
      orgUrl: devops.orgUrl,
      project: 'platform',
      pipelineId: 1,
      pipelineName: 'api-deploy',
      parameters: {},
      source: 'inferred',
      why: 'inferred: pipeline "api-deploy" (deploys to prod) targets 00000000-0000-0000-0000-0000000000aa',
    });
    expect(plan.requests[0]?.body).toEqual({});
  });

  it('a plan left queueing (the process stopped during the queue request) is reconciled as failed and never queued again', async () => {
    const plan = await approved();
    const stored = await remediation.repository.get(plan.id);
    await remediation.repository.cas(stored, {
      ...remediation.moved(stored, 'applying', 'cli:ada'),
      lease: { owner: 'gone-host:1:dead', until: '2026-11-25T09:59:59.000Z' },
      run: { status: 'queueing', requestedAt: '2026-11-25T09:59:58.000Z' },
    });

    const [done] = await remediation.reconcile(bob);

    expect(done?.state).toBe('failed');
    expect(done?.outcome).toBe(
      `the process applying plan ${plan.id} stopped while queueing a run of pipeline "api-deploy" (platform, id 1) (at 2026-11-25T09:59:58.000Z); it was not queued again: look at the pipeline's runs since then, and plan again if none ran`,
    );
    expect(done?.run?.status).toBe('unknown');
    expect(devops.runs.queued).toHaveLength(0);
    expect(devops.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('refuses to infer when two pipelines deploy the resources, naming both and the config key', async () => {
    const document = redeployConfigDocument(arm, devops, { redeploy: null });
    const config = parseConfig(
      {
        ...document,
        devops: {
          ...(document.devops as object),
          targets: [{ pipeline: 'web-ci', resourceGroups: ['rg-web'] }],
        },
      },
      'test',
    );
    remediation = simRedeployRemediation(arm, store, config, clock);

    const error = await remediation
      .plan({ scope: 'prod', findings: [finding], strategy: 'redeploy', actor: ada })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermissionError);
    expect((error as Error).message).toBe(
      `2 pipelines deploy ${STORAGE_ID}: platform/api-deploy (id 1), platform/web-ci (id 2); choose one in remediation.scopes.prod.redeploy`,
    );
  });

  it('a plan whose drift changed before apply is stale and queues nothing', async () => {
    const plan = await approved();
    const storage = arm.estate.get(STORAGE_ID) as ArmResource;
    arm.estate.put({
      ...storage,
      properties: { ...storage.properties, minimumTlsVersion: 'TLS1_1' },
    });

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('stale');
    expect(done.outcome).toBe(
      `${STORAGE_ID} changed since the plan (etag ${plan.resources[0]?.etag} → ${SimEstate.etagOf(arm.estate.get(STORAGE_ID) as ArmResource)}); nothing was queued; plan again`,
    );
    expect(devops.runs.queued).toHaveLength(0);
  });

  it("queues and follows the run under Azure DevOps' rate limit, slowing down when the service delays it, and queues one run", async () => {
    await devops.close();
    // Two requests a second, then delayed, then blocked (429 + Retry-After): the run's queue
    // request and its polls count against the same limit as discovery's reads.
    devops = await startDevOpsSim({
      seed: contosoSeed(),
      rateLimit: { limit: 2, windowMs: 1_000, blockAt: 3, delayMs: 1 },
    });
    devops.runs.pollsBeforeDone = 3;
    devops.runs.onComplete = (run) => {
      if (run.wire.result === 'succeeded') deployBaseline(arm);
    };
    setUp();
    const plan = await approved();

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('applied');
    expect(done.run).toMatchObject({ status: 'completed', result: 'succeeded' });
    expect(devops.runs.queued).toHaveLength(1);
    const runCalls = devops.requests.filter((r) => /\/_apis\/pipelines\/1\/runs/.test(r.path));
    expect(runCalls.filter((r) => r.method === 'POST' && r.status === 200)).toHaveLength(1);
    // The polls reached the limit (the service delayed them) and the run still completed.
    expect(runCalls.filter((r) => r.outcome === 'delayed').length).toBeGreaterThan(0);
    expect(runCalls.at(-1)).toMatchObject({ method: 'GET', status: 200 });
    expect(armWrites()).toEqual([]);
  }, 60_000);

  it('a token without Build (Read & execute) fails the plan naming the scope and the Queue builds permission', async () => {
    await devops.close();
    devops = await startDevOpsSim({
      seed: contosoSeed(),
      tokens: { 'sim-pat': ['vso.build', 'vso.project'] },
    });
    setUp();
    const plan = await approved();

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('failed');
    expect(done.outcome).toBe(
      'queueing a run of pipeline "api-deploy" (platform, id 1) failed: Azure DevOps refused to queue a run of pipeline 1 in project platform (401): the token needs the Build (Read & execute) scope (vso.build_execute); the identity also needs the Queue builds permission on the pipeline (see README, Remediation); it was not retried',
    );
    expect(done.run).toMatchObject({ status: 'failed' });
    expect(devops.runs.queued).toHaveLength(0);
  });

  it.each([
    [
      'a pipeline name the project does not have',
      { project: 'platform', pipeline: 'api-deploy-v2' },
      'project platform has no pipeline "api-deploy-v2"; its pipelines: api-deploy (id 1), web-ci (id 2), network-deploy (id 3)',
    ],
    [
      'a pipeline id the project does not have',
      { project: 'platform', pipelineId: 42 },
      'project platform has no pipeline 42; its pipelines: api-deploy (id 1), web-ci (id 2), network-deploy (id 3)',
    ],
  ])('refuses to plan %s, listing the pipelines', async (_name, redeploy, message) => {
    setUp({ redeploy });

    const error = await remediation
      .plan({ scope: 'prod', findings: [finding], strategy: 'redeploy', actor: ada })
      .catch((e: unknown) => e);

    expect((error as Error).message).toBe(message);
    expect(await remediation.list()).toEqual([]);
  });

  it('refuses to plan a redeploy when Azure DevOps is not configured', async () => {
    const config = redeployConfig(arm, devops);
    delete config.devops;
    remediation = simRedeployRemediation(arm, store, config, clock);

    const error = await remediation
      .plan({ scope: 'prod', findings: [finding], strategy: 'redeploy', actor: ada })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Azure DevOps is not configured: set devops.orgUrl (e.g. https://dev.azure.com/contoso) in driftwatch.config.yaml',
    );
  });

  it('refuses a parameter that looks like a secret: the body is stored and shown', async () => {
    setUp({
      redeploy: {
        project: 'platform',
        pipeline: 'api-deploy',
        parameters: {
          connection:
            'DefaultEndpointsProtocol=https;AccountName=stweb;AccountKey=c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkwYWJjZGVm;EndpointSuffix=core.windows.net',
        },
      },
    });

    const error = await remediation
      .plan({ scope: 'prod', findings: [finding], strategy: 'redeploy', actor: ada })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).code).toBe('remediation.secret-in-request');
    expect(devops.runs.queued).toHaveLength(0);
  });
});
