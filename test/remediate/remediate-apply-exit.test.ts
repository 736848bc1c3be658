import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { openStore } from '../../core/store/open-store.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { spawnChild } from '../support/spawn-child.js';
import {
  buildCliChildOnce,
  cliWorkdir,
  driftEstate,
  remediationConfig,
  remediationConfigDocument,
  remediationEstate,
  STORAGE_ID,
  scanScope,
  simRemediation,
} from './remediation-harness.js';

const child = buildCliChildOnce();

/** `driftwatch remediate apply`'s exit code says how the apply ended, as scan's says how it did. */
describe('driftwatch remediate apply exit codes', () => {
  let sim: ArmSimulator;
  let writes: SimWriteControls;
  let cwd: string;
  let env: Record<string, string>;
  let planId: string;
  const scope = `rmx${randomBytes(4).toString('hex')}`;

  beforeEach(async () => {
    sim = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(sim.estate);
    const workdir = cliWorkdir(
      sim,
      remediationConfigDocument(sim, {}, {}, scope),
      'dw-remediate-exit-',
    );
    cwd = workdir.cwd;
    const path = join(cwd, 'store.sqlite');
    env = {
      ...workdir.env,
      DRIFTWATCH_STORE: path,
      DRIFTWATCH_ACTOR: 'cli:ada',
    };
    const config = remediationConfig(sim, {}, {}, scope);
    const store = await openStore({ path });
    await scanScope(sim, store, config, true, scope);
    driftEstate(sim);
    const scanned = await scanScope(sim, store, config, false, scope);
    const remediation = simRemediation(sim, store, config, systemClock);
    const fingerprint =
      scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
    const plan = await remediation.plan({
      scope,
      findings: [fingerprint],
      strategy: 'revert',
      actor: { id: 'cli:ada' },
    });
    await remediation.approve({ id: plan.id, actor: { id: 'cli:bob' } });
    await store.close();
    planId = plan.id;
  });
  afterEach(async () => {
    await sim.close();
  });

  const apply = () =>
    spawnChild(child(), ['remediate', 'apply', planId, '--format', 'json'], { cwd, env }).done;

  it.each([
    ['0 when the drift is gone', () => undefined, 0, 'the drift is gone'],
    [
      '2 when drift remains',
      () => {
        const now = sim.estate.get(STORAGE_ID);
        if (now)
          sim.estate.put({
            ...now,
            properties: { ...now.properties, minimumTlsVersion: 'TLS1_0' },
          });
      },
      2,
      'still drifted',
    ],
    [
      '3 when the result cannot be verified',
      () =>
        sim.faults.add({
          match: /^GET .*storageAccounts\/stweb\?/,
          action: { kind: 'status', status: 403, code: 'AuthorizationFailed' },
          times: 10,
        }),
      3,
      'could not verify',
    ],
  ])(
    'exits %s',
    async (_case, afterWrite, code, outcome) => {
      writes.afterWrite = afterWrite;

      const run = await apply();

      expect(run.stderr).toBe('');
      expect(run.code).toBe(code);
      const plan = JSON.parse(run.stdout) as RemediationPlan;
      expect(plan.state).toBe('applied');
      expect(plan.outcome).toContain(outcome);
      expect(writes.applies).toHaveLength(1);
    },
    60_000,
  );
});
