import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { PermissionError, StoreError } from '../../core/errors.js';
import type { ArmResource } from '../../core/model/resource.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { PlanInput } from '../../core/remediate/build-plan.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { type OpenStoreOptions, openStore } from '../../core/store/open-store.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { REDIS_URL, redisPresent } from '../support/requirements.js';
import {
  driftEstate,
  fakeClock,
  NSG_ID,
  remediationConfig,
  remediationEstate,
  STORAGE_ID,
  scanScope,
  simRemediation,
} from './remediation-harness.js';

const ada = { id: 'cli:ada' };
const bob = { id: 'cli:bob' };
const eve = { id: 'cli:eve' };

describe('Remediation (through the ARM simulator with the real SDK client)', () => {
  let sim: ArmSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let clock: ReturnType<typeof fakeClock>;
  let config: DriftwatchConfig;
  let remediation: Remediation;
  let findings: { storage: string; nsg: string };

  const setUp = async (policy: Record<string, unknown> = {}) => {
    config = remediationConfig(sim, policy);
    remediation = simRemediation(sim, store, config, clock);
  };

  beforeEach(async () => {
    sim = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(sim.estate);
    store = await openStore({ memory: true });
    clock = fakeClock();
    await setUp();
    await scanScope(sim, store, config, true);
    driftEstate(sim);
    const scanned = await scanScope(sim, store, config);
    const byId = (id: string) =>
      scanned.report?.findings.find((f) => f.resourceId === id)?.fingerprint ?? '';
    findings = { storage: byId(STORAGE_ID), nsg: byId(NSG_ID) };
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await store.close();
    await sim.close();
  });

  const storageNow = () => sim.estate.get(STORAGE_ID) as ArmResource;
  /** A plan in prod for the storage finding, where most of these cases start. */
  const planStorage = (
    strategy: PlanInput['strategy'] = 'revert',
    actor: PlanInput['actor'] = ada,
    more: Pick<PlanInput, 'dryRun' | 'reason'> = {},
  ) => remediation.plan({ scope: 'prod', findings: [findings.storage], strategy, actor, ...more });
  const refusal = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermissionError);
    return error as PermissionError;
  };

  it('reverts a storage account with one PATCH sent If-Match the planned etag, and verifies the drift is gone', async () => {
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [findings.storage.slice(0, 8)],
      strategy: 'revert',
      actor: ada,
      reason: 'portal change',
    });

    expect(plan.state).toBe('pending');
    expect(plan.requests).toEqual([
      {
        resourceId: STORAGE_ID,
        method: 'PATCH',
        url: `${STORAGE_ID}?api-version=${plan.requests[0]?.apiVersion}`,
        apiVersion: plan.requests[0]?.apiVersion,
        ifMatch: plan.resources[0]?.etag,
        body: { properties: { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' } },
        omitted: [],
      },
    ]);
    await remediation.approve({ id: plan.id, actor: bob });
    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.verification?.remaining).toEqual([]);
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({ method: 'PATCH', ifMatch: plan.resources[0]?.etag });
    expect(storageNow().properties).toMatchObject({
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
    const audit = await readAudit(store, { planId: plan.id });
    expect(audit.map((e) => [e.actor, e.action, e.result, e.state])).toEqual([
      ['cli:ada', 'request', 'ok', 'pending'],
      ['cli:bob', 'approve', 'ok', 'approved'],
      ['cli:ada', 'apply', 'ok', 'applying'],
      ['cli:ada', 'write', 'ok', 'applying'],
      ['cli:ada', 'verify', 'ok', 'applied'],
    ]);
    expect(audit[0]?.requests).toEqual(plan.requests);
  });

  it('reverts a network security group with a PUT through a long-running operation polled to its end', async () => {
    writes.mode = 'lro';
    writes.pollsBeforeDone = 2;
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [findings.nsg],
      strategy: 'revert',
      actor: ada,
    });

    expect(plan.requests[0]).toMatchObject({ method: 'PUT', ifMatch: 'W/"nsg-2"' });
    expect(plan.requests[0]?.body).not.toHaveProperty('etag');
    expect(plan.requests[0]?.omitted).toContain('properties.provisioningState');
    await remediation.approve({ id: plan.id, actor: bob });
    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.verification?.remaining).toEqual([]);
    expect(writes.applies).toHaveLength(1);
    expect(writes.polls).toBe(3);
    const rules = (
      (sim.estate.get(NSG_ID)?.properties?.securityRules ?? []) as Array<{ name: string }>
    ).map((r) => r.name);
    expect(rules).toEqual(['allow-https']);
  });

  it('reports the drift that remains when the resource changes again right after the write', async () => {
    writes.mode = 'lro';
    // Someone (a policy, another pipeline) sets TLS 1.0 again as soon as the operation is done.
    writes.afterWrite = () =>
      sim.estate.put({
        ...storageNow(),
        properties: { ...storageNow().properties, minimumTlsVersion: 'TLS1_0' },
      });
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });

    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.verification?.remaining).toEqual([
      { resourceId: STORAGE_ID, paths: ['properties.minimumTlsVersion'] },
    ]);
    expect(applied.verification?.unreadable).toEqual([]);
    expect(applied.outcome).toBe(
      `1 write(s) applied; still drifted: ${STORAGE_ID} (properties.minimumTlsVersion)`,
    );
    expect(writes.applies).toHaveLength(1);
    const audit = await readAudit(store, { planId: plan.id });
    expect(audit.at(-1)).toMatchObject({
      action: 'verify',
      state: 'applied',
      message: applied.outcome,
    });
  });

  it('does not verify a resource deleted right after the write as free of drift', async () => {
    writes.afterWrite = () => {
      sim.estate.remove(STORAGE_ID);
    };
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });

    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.verification?.remaining).toEqual([
      { resourceId: STORAGE_ID, paths: ['removed'] },
    ]);
    expect(applied.outcome).toBe(`1 write(s) applied; still drifted: ${STORAGE_ID} (removed)`);
  });

  it('reverts several findings in one plan with one write each, in order', async () => {
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [findings.storage, findings.nsg],
      strategy: 'revert',
      actor: ada,
    });
    await remediation.approve({ id: plan.id, actor: bob });

    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.outcome).toBe('2 write(s) applied; the drift is gone');
    expect(writes.applies.map((a) => [a.method, a.path])).toEqual([
      ['PATCH', STORAGE_ID],
      ['PUT', NSG_ID],
    ]);
    expect(applied.writes?.map((w) => [w.resourceId, w.status])).toEqual([
      [STORAGE_ID, 'succeeded'],
      [NSG_ID, 'succeeded'],
    ]);
  });

  it('marks the plan failed when the long-running operation fails, naming the failure', async () => {
    writes.mode = 'lro-fail';
    const plan = await remediation.plan({
      scope: 'prod',
      findings: [findings.nsg],
      strategy: 'revert',
      actor: ada,
    });
    await remediation.approve({ id: plan.id, actor: bob });

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('failed');
    expect(done.outcome).toMatch(/^writing .*nsg-web failed: .*long-running operation failed/);
    expect(writes.applies).toHaveLength(1);
  });

  it('accepts the current values of the finding’s paths only into the baseline, recording who and why', async () => {
    const plan = await planStorage('accept', ada, { reason: 'public container is intended' });
    await remediation.approve({ id: plan.id, actor: bob });

    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(writes.applies).toEqual([]);
    const baseline = await store.getBaseline('prod');
    const storage = baseline?.snapshot.resources.find((r) => r.id === STORAGE_ID);
    // The drifted paths take the current values; the noise path (provisioningState) keeps the baseline's.
    expect(storage?.properties).toMatchObject({
      allowBlobPublicAccess: true,
      minimumTlsVersion: 'TLS1_0',
      provisioningState: 'Succeeded',
    });
    expect(baseline?.record).toMatchObject({
      setBy: 'cli:ada',
      note: `accepted through plan ${plan.id} requested by cli:ada: public container is intended`,
    });
    const rescan = await scanScope(sim, store, config);
    expect(rescan.report?.findings.map((f) => f.resourceId)).toEqual([NSG_ID]);
  });

  it('applies an accept whose values are already in the baseline as settled, merging nothing', async () => {
    const plan = await planStorage('accept', ada);
    await remediation.approve({ id: plan.id, actor: bob });
    const rebased = await scanScope(sim, store, config, true);

    const applied = await remediation.apply({ id: plan.id, actor: ada });

    expect(applied.state).toBe('applied');
    expect(applied.outcome).toBe(
      'nothing left to accept: the baseline of prod already matches the current state on these paths',
    );
    expect((await store.getBaseline('prod'))?.record.snapshotId).toBe(
      rebased.savedBaseline?.snapshotId,
    );
  });

  it.each([
    ['nothing was recorded as sent', [], false, 'failed', 'stopped before writing'],
    [
      'a write was being sent and the drift is still there',
      ['sending'],
      false,
      'failed',
      'stopped while sending the write',
    ],
    [
      'a write was being sent and the drift is gone',
      ['sending'],
      true,
      'applied',
      '1 write(s) applied; the drift is gone',
    ],
  ] as const)(
    'reconciles a plan left applying when %s, sending nothing',
    async (_name, records, reverted, state, outcome) => {
      const plan = await planStorage();
      const approved = await remediation.approve({ id: plan.id, actor: bob });
      const { version: _v, writeId: _w, ...rest } = approved;
      await remediation.repository.cas(approved, {
        ...rest,
        state: 'applying',
        lease: { owner: 'host:4242:dead', until: '2026-11-25T10:00:01.000Z' },
        writes: records.map((status) => ({ resourceId: STORAGE_ID, status })),
      });
      if (reverted) sim.estate.put(remediationEstate()[0] as ArmResource);
      clock.tick(2_000);

      const [done] = await remediation.reconcile({ id: 'cli:carol' });

      expect(done?.state).toBe(state);
      expect(done?.outcome).toContain(outcome);
      expect(writes.applies).toEqual([]);
      expect(await remediation.reconcile({ id: 'cli:carol' })).toEqual([]);
    },
  );

  it('reconciles a write that was being sent as failed, not as landed, when the resource cannot be read', async () => {
    const plan = await planStorage();
    const approved = await remediation.approve({ id: plan.id, actor: bob });
    const { version: _v, writeId: _w, ...rest } = approved;
    await remediation.repository.cas(approved, {
      ...rest,
      state: 'applying',
      lease: { owner: 'host:4242:dead', until: '2026-11-25T10:00:01.000Z' },
      writes: [{ resourceId: STORAGE_ID, status: 'sending' }],
    });
    clock.tick(2_000);
    // The reconciling identity may not read the account now: its fate cannot be proved.
    sim.faults.add({
      match: /^GET .*storageAccounts\/stweb\?/,
      action: { kind: 'status', status: 403, code: 'AuthorizationFailed' },
      times: 10,
    });

    const [done] = await remediation.reconcile({ id: 'cli:carol' });

    expect(done?.state).toBe('failed');
    expect(done?.outcome).toMatch(
      new RegExp(
        `^the process applying plan ${plan.id} stopped while sending the write to .*stweb, which cannot be read now \\(.*\\); nothing was re-sent: check the resource and plan again$`,
      ),
    );
    expect(done?.writes).toEqual([
      expect.objectContaining({ resourceId: STORAGE_ID, status: 'unknown' }),
    ]);
    expect(writes.applies).toEqual([]);
  });

  it('leaves a stopped apply of a scope this configuration has no policy for to a process that has one', async () => {
    const plan = await planStorage();
    const approved = await remediation.approve({ id: plan.id, actor: bob });
    const { version: _v, writeId: _w, ...rest } = approved;
    await remediation.repository.cas(approved, {
      ...rest,
      state: 'applying',
      lease: { owner: 'host:4242:dead', until: '2026-11-25T10:00:01.000Z' },
      writes: [],
    });
    clock.tick(2_000);
    const elsewhere = simRemediation(sim, store, remediationConfig(sim, {}, {}, 'staging'), clock);

    const byOther = await elsewhere.reconcile({ id: 'cli:carol' });
    const stillApplying = (await remediation.show(plan.id)).state;
    const byOwner = await remediation.reconcile({ id: 'cli:carol' });

    expect(byOther).toEqual([]);
    expect(stillApplying).toBe('applying');
    expect(byOwner.map((p) => [p.id, p.state])).toEqual([[plan.id, 'failed']]);
    expect(writes.applies).toEqual([]);
  });

  it('treats a 412 it cannot check afterwards as stale, not as its own write landing', async () => {
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });
    writes.beforeWrite = () => {
      sim.estate.put({ ...storageNow(), tags: { env: 'prod', racing: 'yes' } });
      // …and the resource cannot be read when driftwatch looks again after the 412.
      sim.faults.add({
        match: /^GET .*storageAccounts\/stweb\?/,
        action: { kind: 'status', status: 403, code: 'AuthorizationFailed' },
        times: 10,
      });
    };

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('stale');
    expect(done.outcome).toContain('(ARM answered 412 Precondition Failed to If-Match');
    expect(writes.applies).toEqual([]);
  });

  it('ends a plan on one rejection; it cannot then be approved or applied', async () => {
    const plan = await planStorage();

    const rejected = await remediation.reject({
      id: plan.id,
      actor: bob,
      reason: 'not during the freeze',
    });

    expect(rejected.state).toBe('rejected');
    expect(rejected.outcome).toBe('not during the freeze');
    expect((await refusal(remediation.apply({ id: plan.id, actor: ada }))).code).toBe(
      'remediation.not-open',
    );
    expect(
      (await refusal(remediation.approve({ id: plan.id, actor: { id: 'slack:U024BE7LH' } }))).code,
    ).toBe('remediation.not-pending');
    expect(writes.applies).toEqual([]);
  });

  it('expires a plan not applied within its expiry (24 h by default), and refuses it then', async () => {
    const plan = await planStorage();
    expect(plan.expiresAt).toBe('2026-11-26T10:00:00.000Z');
    await remediation.approve({ id: plan.id, actor: bob });

    clock.tick(24 * 3_600_000);
    const error = await refusal(remediation.apply({ id: plan.id, actor: ada }));

    expect(error.code).toBe('remediation.expired');
    expect(error.message).toBe(`plan ${plan.id} expired at 2026-11-26T10:00:00.000Z; plan again`);
    expect((await remediation.show(plan.id)).state).toBe('expired');
    expect(writes.applies).toEqual([]);
  });

  it('refuses the requester approving their own request, and says who can', async () => {
    const plan = await planStorage();

    const error = await refusal(remediation.approve({ id: plan.id, actor: ada }));

    expect(error.code).toBe('remediation.self-approval');
    expect(error.message).toBe(
      `cli:ada requested plan ${plan.id} and cannot approve it too (requesterCannotApprove); another approver must: cli:bob, slack:U024BE7LH`,
    );
    expect((await remediation.show(plan.id)).state).toBe('pending');
  });

  it('lets the requester approve their own request when the policy turns requesterCannotApprove off', async () => {
    await setUp({ requesterCannotApprove: false });
    const plan = await planStorage();

    const approved = await remediation.approve({ id: plan.id, actor: ada });

    expect(approved.state).toBe('approved');
    expect(approved.decisions.map((d) => [d.by, d.verdict])).toEqual([['cli:ada', 'approve']]);
  });

  it('refuses a person who is not an approver with a message naming the approvers', async () => {
    const plan = await planStorage();

    const error = await refusal(remediation.approve({ id: plan.id, actor: eve }));

    expect(error.code).toBe('remediation.not-approver');
    expect(error.message).toBe(
      `cli:eve is not an approver for scope prod, so they cannot approve plan ${plan.id}; approvers: cli:ada, cli:bob, slack:U024BE7LH`,
    );
    const audit = await readAudit(store, { planId: plan.id });
    expect(audit.at(-1)).toMatchObject({ actor: 'cli:eve', action: 'refuse', result: 'refused' });
  });

  it('accepts an approver through a group the chat adapter resolved', async () => {
    await setUp({ approvers: ['cli:ada', 'slack-group:S0614TZR7'] });
    const plan = await planStorage();

    const approved = await remediation.approve({
      id: plan.id,
      actor: { id: 'slack:U0ZED', groups: ['slack-group:S0614TZR7'] },
    });

    expect(approved.state).toBe('approved');
  });

  it('needs N distinct approvals when the policy asks for N of M', async () => {
    await setUp({ approvals: 2 });
    const plan = await planStorage();

    const first = await remediation.approve({ id: plan.id, actor: bob });
    const again = await refusal(remediation.approve({ id: plan.id, actor: bob }));
    const early = await refusal(remediation.apply({ id: plan.id, actor: ada }));
    const second = await remediation.approve({ id: plan.id, actor: { id: 'slack:U024BE7LH' } });

    expect(first.state).toBe('pending');
    expect(again.code).toBe('remediation.already-decided');
    expect(early.message).toBe(`plan ${plan.id} has 1 of 2 approvals; it cannot be applied yet`);
    expect(second.state).toBe('approved');
    expect(second.decisions.map((d) => d.by)).toEqual(['cli:bob', 'slack:U024BE7LH']);
  });

  it('allows at most one open request per scope and resource', async () => {
    const first = await planStorage();

    const error = await refusal(planStorage('accept', bob));
    const preview = await refusal(planStorage('accept', bob, { dryRun: true }));
    await remediation.cancel({ id: first.id, actor: ada });
    const next = await planStorage('accept', bob);

    expect(error.code).toBe('remediation.already-open');
    expect(preview.code).toBe('remediation.already-open');
    expect(error.message).toBe(
      `${STORAGE_ID} already has an open remediation request in scope prod (plan ${first.id}); approve, reject or cancel it first`,
    );
    expect(next.state).toBe('pending');
  });

  it('makes a plan stale, writing nothing, when the resource changed after planning', async () => {
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });
    sim.estate.put({ ...storageNow(), tags: { env: 'prod', owner: 'someone-else' } });

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('stale');
    expect(done.outcome).toMatch(/changed since the plan .*nothing was written; plan again$/);
    expect(writes.applies).toEqual([]);
  });

  it('treats ARM’s 412 Precondition Failed as stale when the resource changes between the check and the write', async () => {
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });
    writes.beforeWrite = () => {
      sim.estate.put({ ...storageNow(), tags: { env: 'prod', racing: 'yes' } });
    };

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('stale');
    expect(done.outcome).toBe(
      `${STORAGE_ID} changed since the plan (ARM answered 412 Precondition Failed to If-Match ${plan.resources[0]?.etag}); nothing was written; plan again`,
    );
    expect(writes.applies).toEqual([]);
    expect(storageNow().properties?.allowBlobPublicAccess).toBe(true);
  });

  it('fails with the missing permission when the Azure identity may not write (403)', async () => {
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });
    writes.readOnlyPrincipals.add('sim-client');

    const done = await remediation.apply({ id: plan.id, actor: ada });

    expect(done.state).toBe('failed');
    expect(done.outcome).toMatch(
      /^the Azure identity may not write .*stweb \(403\): grant it a role with write permission on the scope \(see README, Remediation\) — .*Microsoft\.Storage\/storageAccounts\/write/,
    );
    expect(writes.applies).toEqual([]);
  });

  it('refuses revert on a scope that has not opted in, naming the allowed strategies', async () => {
    await setUp({ strategies: ['accept'] });

    const error = await refusal(planStorage());

    expect(error.code).toBe('remediation.strategy-not-allowed');
    expect(error.message).toBe(
      'strategy revert is not allowed on scope prod (allowed: accept); revert writes to Azure, so it needs remediation.scopes.prod.strategies to list it and an identity with write permission',
    );
  });

  it('refuses to apply outside the change windows and says when the next one opens', async () => {
    await setUp({
      expiry: '7d',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '11:00' }],
      timezone: 'Europe/Berlin',
    });
    const plan = await planStorage();
    await remediation.approve({ id: plan.id, actor: bob });
    clock.set('2026-11-27T09:30:00Z'); // Friday 10:30 in Berlin

    const error = await refusal(remediation.apply({ id: plan.id, actor: ada }));

    expect(error.code).toBe('remediation.outside-window');
    expect(error.message).toBe(
      'scope prod allows changes only in its change windows (mon,tue,wed,thu 09:00-11:00 Europe/Berlin); the next opens at 2026-11-30 09:00 Europe/Berlin (2026-11-30T08:00:00.000Z)',
    );
    expect(writes.applies).toEqual([]);
    clock.set('2026-11-30T08:00:00Z');
    expect((await remediation.apply({ id: plan.id, actor: ada })).state).toBe('applied');
  });

  const targets: Array<[string, () => OpenStoreOptions]> = [
    [
      'SQLite',
      () => ({ path: join(mkdtempSync(join(tmpdir(), 'dw-remediate-')), 'store.sqlite') }),
    ],
    ...(redisPresent
      ? [
          [
            'Redis',
            () => ({ redisUrl: REDIS_URL, namespace: `dw-rm-${randomBytes(4).toString('hex')}` }),
          ] as [string, () => OpenStoreOptions],
        ]
      : []),
  ];
  it.each(targets)(
    'refuses everything, failing closed, when the store (%s) cannot be reached',
    async (_kind, target) => {
      const where = target();
      const opened = await openStore(where);
      sim.estate.put(...remediationEstate());
      await scanScope(sim, opened, config, true);
      driftEstate(sim);
      const scanned = await scanScope(sim, opened, config);
      const fingerprint =
        scanned.report?.findings.find((f) => f.resourceId === STORAGE_ID)?.fingerprint ?? '';
      const plan = await simRemediation(sim, opened, config, clock).plan({
        scope: 'prod',
        findings: [fingerprint],
        strategy: 'revert',
        actor: ada,
      });
      const down = simRemediation(sim, opened, config, clock);
      await opened.close();

      const approve = await down.approve({ id: plan.id, actor: bob }).catch((e: unknown) => e);
      const apply = await down.apply({ id: plan.id, actor: ada }).catch((e: unknown) => e);

      expect(approve).toBeInstanceOf(StoreError);
      expect(approve).toMatchObject({ code: 'store.unavailable' });
      expect((approve as Error).message).toMatch(
        /^the store cannot be reached, so nothing was approved \(remediation fails closed\): /,
      );
      expect(apply).toMatchObject({ code: 'store.unavailable' });
      const reopened = await openStore(where);
      expect((await simRemediation(sim, reopened, config, clock).show(plan.id)).state).toBe(
        'pending',
      );
      await reopened.close();
      expect(writes.applies).toEqual([]);
    },
  );
});
