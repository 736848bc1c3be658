import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { parseConfig } from '../../core/config/load-config.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { openStore } from '../../core/store/open-store.js';
import { contosoSeed } from '../devops/devops-test-kit.js';
import { simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { spawnChild } from '../support/spawn-child.js';
import {
  DEVOPS_PAT,
  deployBaseline,
  redeployConfigDocument,
  simRedeployRemediation,
} from './redeploy-harness.js';
import {
  buildCliChildOnce,
  cliWorkdir,
  driftEstate,
  planCommand,
  remediationEstate,
  STORAGE_ID,
  type StoreTarget,
  scanScope,
  storeTargetEnv,
} from './remediation-harness.js';

const child = buildCliChildOnce();

/** Runs queued at the simulator, per test: the figure the concurrency claim is about. */
const queuedCounts: Record<string, number> = {};

/**
 * `redeploy` through the remediate CLI run as separate processes against one store, the ARM
 * simulator and the Azure DevOps simulator: one queued run however many processes apply, and a
 * killed process's run followed by the next process without queueing again.
 */
function processSuite(name: string, target: () => StoreTarget) {
  let arm: ArmSimulator;
  let devops: DevOpsSim;
  let cwd: string;
  let env: Record<string, string>;
  let scope: string;
  let fingerprint: string;
  let document: Record<string, unknown>;

  const open = () => openStore(target());
  const start = (args: string[], actor: string) =>
    spawnChild(child(), args, { cwd, env: { ...env, DRIFTWATCH_ACTOR: actor } });
  const cli = (args: string[], actor: string) => start(args, actor).done;
  const withRemediation = async <T>(
    work: (r: ReturnType<typeof simRedeployRemediation>) => Promise<T>,
  ): Promise<T> => {
    const store = await open();
    const remediation = simRedeployRemediation(
      arm,
      store,
      parseConfig(document, 'test'),
      systemClock,
    );
    try {
      return await work(remediation);
    } finally {
      await remediation.close();
      await store.close();
    }
  };
  const stored = (id: string): Promise<RemediationPlan> =>
    withRemediation((r) => r.repository.get(id));

  beforeEach(async () => {
    arm = await startArmSimulator({ resources: remediationEstate() });
    devops = await startDevOpsSim({ seed: contosoSeed() });
    devops.runs.onComplete = (run) => {
      if (run.wire.result === 'succeeded') deployBaseline(arm);
    };
    scope = `rd${randomBytes(4).toString('hex')}`;
    document = redeployConfigDocument(arm, devops, { scope, extra: { applyLeaseSeconds: 1 } });
    const workdir = cliWorkdir(arm, document, 'dw-redeploy-cli-');
    cwd = workdir.cwd;
    env = { ...workdir.env, AZURE_DEVOPS_PAT: DEVOPS_PAT, ...storeTargetEnv(target()) };
    const config = parseConfig(document, 'test');
    const store = await open();
    await scanScope(arm, store, config, true, scope);
    driftEstate(arm);
    const scanned = await scanScope(arm, store, config, false, scope);
    await store.close();
    fingerprint =
      scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
  });
  afterEach(async () => {
    expect(arm.unexpected).toEqual([]);
    expect(devops.unexpected).toEqual([]);
    // redeploy never writes to ARM itself: the pipeline deploys.
    expect(simWrites(arm.estate).applies).toEqual([]);
    await arm.close();
    await devops.close();
  });

  it('four concurrent applies from separate processes queue exactly one run at Azure DevOps', async () => {
    devops.runs.pollsBeforeDone = 3;
    const planned = await cli(planCommand(fingerprint, scope, 'redeploy'), 'cli:ada');
    expect(planned.stderr).toBe('');
    const plan = JSON.parse(planned.stdout) as RemediationPlan;
    const approval = await cli(['remediate', 'approve', plan.id, '--format', 'json'], 'cli:bob');

    const applies = await Promise.all(
      ['cli:ada', 'cli:bob', 'cli:ada', 'cli:bob'].map((actor) =>
        cli(['remediate', 'apply', plan.id, '--format', 'json'], actor),
      ),
    );

    queuedCounts[`${name}: four concurrent applies`] = devops.runs.queued.length;
    expect(approval.code).toBe(0);
    expect(applies.map((r) => r.code).sort()).toEqual([0, 1, 1, 1]);
    for (const refused of applies.filter((r) => r.code === 1))
      expect(refused.stderr).toMatch(
        new RegExp(`^driftwatch: plan ${plan.id} (is already being applied|is applied \\()`),
      );
    expect(devops.runs.queued).toHaveLength(1);
    expect(devops.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const done = await stored(plan.id);
    expect(done.state).toBe('applied');
    expect(done.run?.runId).toBe(devops.runs.queued[0]?.id);
    const store = await open();
    const audit = await readAudit(store, { planId: plan.id });
    await store.close();
    expect(audit.filter((e) => e.result === 'ok').map((e) => e.action)).toEqual([
      'request',
      'approve',
      'apply',
      'write',
      'verify',
    ]);
  }, 90_000);

  it('a process killed (SIGKILL) while the run is in progress is reconciled by the next one, which follows the same run and queues nothing', async () => {
    const plan = await withRemediation(async (r) => {
      const p = await r.plan({
        scope,
        findings: [fingerprint],
        strategy: 'redeploy',
        actor: { id: 'cli:ada' },
      });
      await r.approve({ id: p.id, actor: { id: 'cli:bob' } });
      return p;
    });
    devops.runs.hold = true;

    const applying = start(['remediate', 'apply', plan.id], 'cli:ada');
    const deadline = Date.now() + 30_000;
    while (!(await stored(plan.id)).run?.runId) {
      if (Date.now() > deadline) throw new Error('the apply never queued its run');
      await new Promise((r) => setTimeout(r, 50));
    }
    applying.proc.kill('SIGKILL');
    const killed = await applying.done;
    const left = await stored(plan.id);
    devops.runs.hold = false;
    // The lease (applyLeaseSeconds: 1) must run out before another process may take over.
    await new Promise((r) => setTimeout(r, 1_100));
    const next = await cli(['remediate', 'status', plan.id, '--format', 'json'], 'cli:bob');

    queuedCounts[`${name}: killed and reconciled`] = devops.runs.queued.length;
    const [run] = devops.runs.queued;
    const link = `${devops.orgUrl}/platform/_build/results?buildId=${run?.id}`;
    expect(killed.code).toBe(null);
    expect(left.state).toBe('applying');
    expect(left.run).toMatchObject({ status: 'queued', runId: run?.id, state: 'inProgress' });
    expect(next.code).toBe(0);
    expect(next.stderr).toBe(
      `reconciled plan ${plan.id} left applying by a stopped process: applied (run ${run?.id} of pipeline "api-deploy" (platform, id 1) succeeded: ${link}; the drift is gone)\n`,
    );
    expect((JSON.parse(next.stdout) as RemediationPlan).state).toBe('applied');
    expect(devops.runs.queued).toHaveLength(1);
    expect(devops.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(arm.estate.get(STORAGE_ID)?.properties).toMatchObject({
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
  }, 90_000);
}

describe('driftwatch remediate redeploy across processes', () => {
  afterAll(() => {
    // The figure the closing note reports: runs the DevOps simulator saw queued per test.
    console.info(`redeploy runs queued at the DevOps simulator: ${JSON.stringify(queuedCounts)}`);
  });
  describe('on SQLite', () => {
    let path = '';
    beforeEach(() => {
      path = join(mkdtempSync(join(tmpdir(), 'dw-redeploy-store-')), 'store.sqlite');
    });
    processSuite('SQLite', () => ({ path }));
  });
  describeWithRedis('on Redis', () => {
    processSuite('Redis', () => ({ redisUrl: REDIS_URL }));
  });
});
