import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { openStore } from '../../core/store/open-store.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { spawnChild } from '../support/spawn-child.js';
import {
  buildCliChildOnce,
  cliWorkdir,
  driftEstate,
  planCommand,
  remediationConfig,
  remediationConfigDocument,
  remediationEstate,
  STORAGE_ID,
  type StoreTarget,
  scanScope,
  simRemediation,
  storeTargetEnv,
} from './remediation-harness.js';

const child = buildCliChildOnce();

/**
 * The remediate CLI run as separate processes against one store and the ARM simulator: the
 * claims here (one decision, one apply, reconcile after SIGKILL) are about processes.
 */
function processSuite(target: () => StoreTarget) {
  let sim: ArmSimulator;
  let writes: SimWriteControls;
  let cwd: string;
  let env: Record<string, string>;
  let scope: string;
  let fingerprint: string;

  const open = () => openStore(target());
  const start = (args: string[], actor: string) =>
    spawnChild(child(), args, { cwd, env: { ...env, DRIFTWATCH_ACTOR: actor } });
  const cli = (args: string[], actor: string) => start(args, actor).done;
  const stored = async (id: string): Promise<RemediationPlan> => {
    const store = await open();
    try {
      const remediation = simRemediation(
        sim,
        store,
        remediationConfig(sim, {}, {}, scope),
        systemClock,
      );
      return await remediation.repository.get(id);
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    sim = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(sim.estate);
    scope = `rm${randomBytes(4).toString('hex')}`;
    const document = remediationConfigDocument(sim, {}, { applyLeaseSeconds: 1 }, scope);
    const workdir = cliWorkdir(sim, document, 'dw-remediate-cli-');
    cwd = workdir.cwd;
    env = { ...workdir.env, ...storeTargetEnv(target()) };
    // Baseline, then drift made in the portal, then the scan whose report the plan names.
    const config = remediationConfig(sim, {}, {}, scope);
    const store = await open();
    await scanScope(sim, store, config, true, scope);
    driftEstate(sim);
    const scanned = await scanScope(sim, store, config, false, scope);
    await store.close();
    fingerprint =
      scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
    writes.mode = 'lro';
    writes.pollsBeforeDone = 1;
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('double approvals and four concurrent applies from separate processes give one decision and exactly one write at ARM', async () => {
    const planned = await cli(planCommand(fingerprint, scope, 'revert'), 'cli:ada');
    expect(planned.stderr).toBe('');
    const plan = JSON.parse(planned.stdout) as RemediationPlan;

    const approvals = await Promise.all(
      [0, 1].map(() => cli(['remediate', 'approve', plan.id, '--format', 'json'], 'cli:bob')),
    );
    const applies = await Promise.all(
      ['cli:ada', 'cli:bob', 'cli:ada', 'cli:bob'].map((actor) =>
        cli(['remediate', 'apply', plan.id, '--format', 'json'], actor),
      ),
    );

    expect(approvals.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(approvals.find((r) => r.code === 1)?.stderr).toMatch(
      new RegExp(
        `^driftwatch: (cli:bob has already decided on plan ${plan.id}|plan ${plan.id} is approved \\(approved by cli:bob\\); only a pending plan can be approved)\\n$`,
      ),
    );
    expect(applies.map((r) => r.code).sort()).toEqual([0, 1, 1, 1]);
    for (const refused of applies.filter((r) => r.code === 1))
      expect(refused.stderr).toMatch(
        new RegExp(`^driftwatch: plan ${plan.id} (is already being applied|is applied \\()`),
      );
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({
      method: 'PATCH',
      path: STORAGE_ID,
      ifMatch: plan.resources[0]?.etag,
    });
    expect((await stored(plan.id)).state).toBe('applied');
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
  }, 60_000);

  it('a process killed (SIGKILL) while applying is reconciled by the next one, which polls the operation to its end and writes nothing again', async () => {
    const store = await open();
    const remediation = simRemediation(
      sim,
      store,
      remediationConfig(sim, {}, {}, scope),
      systemClock,
    );
    const plan = await remediation.plan({
      scope,
      findings: [fingerprint],
      strategy: 'revert',
      actor: { id: 'cli:ada' },
    });
    await remediation.approve({ id: plan.id, actor: { id: 'cli:bob' } });
    await store.close();
    writes.hold = true;

    const applying = start(['remediate', 'apply', plan.id], 'cli:ada');
    const deadline = Date.now() + 30_000;
    while (!(await stored(plan.id)).writes?.some((w) => w.status === 'polling')) {
      if (Date.now() > deadline) throw new Error('the apply never reached polling');
      await new Promise((r) => setTimeout(r, 50));
    }
    applying.proc.kill('SIGKILL');
    const killed = await applying.done;
    const left = await stored(plan.id);
    writes.hold = false;
    // The lease (applyLeaseSeconds: 1) must run out before another process may take over.
    await new Promise((r) => setTimeout(r, 1_100));
    const next = await cli(['remediate', 'status', plan.id, '--format', 'json'], 'cli:bob');

    expect(killed.code).toBe(null);
    expect(left.state).toBe('applying');
    expect(next.code).toBe(0);
    expect(next.stderr).toBe(
      `reconciled plan ${plan.id} left applying by a stopped process: applied (1 write(s) applied; the drift is gone)\n`,
    );
    expect((JSON.parse(next.stdout) as RemediationPlan).state).toBe('applied');
    expect(writes.applies).toHaveLength(1);
    expect(sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(sim.estate.get(STORAGE_ID)?.properties).toMatchObject({
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
  }, 60_000);
}

describe('driftwatch remediate across processes', () => {
  describe('on SQLite', () => {
    let path = '';
    beforeEach(() => {
      path = join(mkdtempSync(join(tmpdir(), 'dw-remediate-store-')), 'store.sqlite');
    });
    processSuite(() => ({ path }));
  });
  describeWithRedis('on Redis', () => {
    processSuite(() => ({ redisUrl: REDIS_URL }));
  });
});
