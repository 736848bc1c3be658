import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import { systemClock } from '../../core/clock.js';
import { parseConfig } from '../../core/config/load-config.js';
import { readAudit } from '../../core/remediate/audit-log.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import {
  buildCliChildOnce,
  cliWorkdir,
  driftEstate,
  remediationConfigDocument,
  remediationEstate,
  STORAGE_ID,
  scanScope,
  simRemediation,
} from '../remediate/remediation-harness.js';
import { type SimWriteControls, simWrites } from '../sim/arm/sim-writes.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { spawnChild } from '../support/spawn-child.js';
import {
  ADA,
  BOB,
  bobApproves,
  buttonsOf,
  CHANNEL,
  requestStorageApproval,
  SECRET,
  TOKEN,
  textOf,
} from './remediation-bot-harness.js';

const child = buildCliChildOnce();

/**
 * `driftwatch bot` as separate processes (replicas) on one Redis store, the Slack and ARM
 * simulators in this process: the claims here (one apply across replicas; a replica killed while
 * applying is finished by the next one without a second write) are about processes.
 */
describeWithRedis('Slack remediation on bot processes sharing Redis', () => {
  let slack: SlackSimulator;
  let arm: ArmSimulator;
  let writes: SimWriteControls;
  let store: DriftStore;
  let cwd: string;
  let env: Record<string, string>;
  let scope: string;
  const replicas: Array<ReturnType<typeof spawnChild>> = [];

  beforeEach(async () => {
    slack = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    arm = await startArmSimulator({ resources: remediationEstate() });
    writes = simWrites(arm.estate);
    // A scope of its own: `driftwatch bot` uses the store's default namespace.
    scope = `rmb${randomBytes(4).toString('hex')}`;
    const document = remediationConfigDocument(
      arm,
      { approvers: [`slack:${ADA}`, `slack:${BOB}`] },
      { applyLeaseSeconds: 1 },
      scope,
    );
    const workdir = cliWorkdir(arm, document, 'dw-remediate-bots-');
    cwd = workdir.cwd;
    env = {
      ...workdir.env,
      REDIS_URL,
      DRIFTWATCH_QUEUE_PREFIX: `dwtest-rmb-${randomBytes(4).toString('hex')}`,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'error',
    };
    const config = parseConfig(document, 'test config');
    store = await openStore({ redisUrl: REDIS_URL, clock: systemClock });
    await scanScope(arm, store, config, true, scope);
    driftEstate(arm);
    await scanScope(arm, store, config, false, scope);
    writes.mode = 'lro';
    writes.pollsBeforeDone = 1;
  });
  afterEach(async () => {
    writes.hold = false;
    for (const replica of replicas.splice(0)) {
      if (replica.proc.exitCode === null && replica.proc.signalCode === null)
        replica.proc.kill('SIGTERM');
      await replica.done;
    }
    expect(slack.unexpected).toEqual([]);
    expect(arm.unexpected).toEqual([]);
    await store.close();
    await arm.close();
    await slack.close();
  });

  /** Starts a replica and waits until it listens (it reconciles before it does). */
  const startReplica = async (): Promise<{ bot: RunningBot; index: number }> => {
    const replica = spawnChild(child(), ['bot', '--port', '0', '--no-shard-worker'], { cwd, env });
    replicas.push(replica);
    let said = '';
    replica.proc.stderr?.on('data', (chunk) => {
      said += chunk;
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const url = /Slack events at \/slack\/events on (http:\/\/\S+)/.exec(said)?.[1];
      if (url) return { bot: { url } as RunningBot, index: replicas.length - 1 };
      if (replica.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`the bot did not start: ${said}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stored = (id: string): Promise<RemediationPlan> =>
    simRemediation(arm, store, parseConfig({}, 'empty'), systemClock).repository.get(id);
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Ada, through `bot`: `/drift status`, *Remediate…* on the storage account, *Request approval*. */
  const requestApproval = async (bot: RunningBot) => {
    const { ts } = await requestStorageApproval(bot, slack, scope, waitFor);
    const message = slack.message(CHANNEL, ts) as { text: string; blocks: unknown[] };
    const approve = buttonsOf(message.blocks).find((b) => b.action_id === 'drift_approve_plan');
    return {
      ts,
      planId: approve?.value ?? '',
      /** Bob's Approve, as Slack delivers it to `to` (`retryNum` for a Slack retry). */
      approve: (to: RunningBot, responseId: string, retryNum?: number) =>
        bobApproves(to, slack, { ts, message }, responseId, retryNum).catch(() => 0),
    };
  };

  it('applies once when Approve reaches two replica processes at once, twice each, while ARM holds the write', async () => {
    const [a, b] = [(await startReplica()).bot, (await startReplica()).bot];
    const { ts, planId, approve } = await requestApproval(a);
    writes.hold = true;

    const statuses = await Promise.all([
      approve(a, 'a-click'),
      approve(b, 'b-click'),
      approve(a, 'a-retry', 1),
      approve(b, 'b-retry', 1),
    ]);
    await waitFor('the write in flight', async () =>
      ((await stored(planId)).writes ?? []).some((w) => w.status === 'polling'),
    );
    const whileHeld = writes.applies.length;
    writes.hold = false;
    await waitFor('the plan applied', async () => (await stored(planId)).state === 'applied');

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(whileHeld).toBe(1);
    expect(writes.applies).toHaveLength(1);
    expect(writes.applies[0]).toMatchObject({ method: 'PATCH', path: STORAGE_ID });
    const audit = await readAudit(store, { planId });
    expect(audit.filter((e) => e.result === 'ok').map((e) => e.action)).toEqual([
      'request',
      'approve',
      'apply',
      'write',
      'verify',
    ]);
    await waitFor('the message updated', async () =>
      textOf((slack.message(CHANNEL, ts) as { blocks: unknown[] }).blocks).includes(
        '*State:* APPLIED',
      ),
    );
  }, 120_000);

  it('a replica killed (SIGKILL) while its write is in progress is finished by the next replica to start, which writes nothing again', async () => {
    const first = await startReplica();
    const { ts, planId, approve } = await requestApproval(first.bot);
    writes.hold = true;

    await approve(first.bot, 'click');
    await waitFor('the write in flight', async () =>
      ((await stored(planId)).writes ?? []).some((w) => w.status === 'polling'),
    );
    const killed = replicas[first.index] as ReturnType<typeof spawnChild>;
    killed.proc.kill('SIGKILL');
    await killed.done;
    const left = await stored(planId);
    writes.hold = false;
    // The lease (applyLeaseSeconds: 1) must run out before another replica may take over.
    await new Promise((r) => setTimeout(r, 1_100));
    await startReplica();
    await waitFor('the plan finished', async () => (await stored(planId)).state !== 'applying');

    expect(left.state).toBe('applying');
    expect(writes.applies).toHaveLength(1);
    expect(arm.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    const done = await stored(planId);
    expect(done.state).toBe('applied');
    expect(done.outcome).toBe('1 write(s) applied; the drift is gone');
    const audit = await readAudit(store, { planId });
    expect(audit.filter((e) => e.action === 'reconcile').map((e) => e.result)).toEqual(['ok']);
    await waitFor('the message updated', async () =>
      textOf((slack.message(CHANNEL, ts) as { blocks: unknown[] }).blocks).includes(
        '*State:* APPLIED',
      ),
    );
  }, 120_000);
});
