import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import type { AuditEntry } from '../../core/remediate/audit-log.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { LATEST_SNAPSHOT_AREA } from '../../core/scan/run-scan.js';
import { openStore } from '../../core/store/open-store.js';

const ID =
  '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';
const storage = (publicAccess: boolean): ArmResource => ({
  id: ID,
  name: 'st1',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { allowBlobPublicAccess: publicAccess, supportsHttpsTrafficOnly: true },
});
const snapshot = (resource: ArmResource): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources: [resource],
  errors: [],
});

let cwd: string;
let fingerprint: string;

/** Runs the CLI in this process (the same `main` the bin runs) with its own streams. */
async function cli(args: string[], actor = 'cli:ada') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const code = await main(args, {
    env: { DRIFTWATCH_STORE: join(cwd, 'store.sqlite'), DRIFTWATCH_ACTOR: actor },
    stdout,
    stderr,
    cwd,
    signal: new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}

describe('driftwatch remediate and audit (CLI)', () => {
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-remediate-cli-'));
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      JSON.stringify({
        scopes: { prod: { subscriptions: ['00000000-0000-0000-0000-0000000000aa'] } },
        remediation: { scopes: { prod: { approvers: ['cli:ada', 'cli:bob'] } } },
      }),
    );
    const store = await openStore({ path: join(cwd, 'store.sqlite') });
    await store.setBaseline('prod', snapshot(storage(false)));
    const current = snapshot(storage(true));
    await store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).set('prod', current);
    const report = compareSnapshots(snapshot(storage(false)), current, { scope: 'prod' });
    await store.saveReport(report);
    fingerprint = report.findings[0]?.fingerprint ?? '';
    await store.close();
  });

  it('plans, approves and applies an accept, and the audit log tells the story in text and JSON lines', async () => {
    const planned = await cli([
      'remediate',
      'plan',
      fingerprint.slice(0, 6),
      '--scope',
      'prod',
      '--strategy',
      'accept',
      '--format',
      'json',
    ]);
    const plan = JSON.parse(planned.stdout) as RemediationPlan;
    const approved = await cli(['remediate', 'approve', plan.id.slice(0, 6)], 'cli:bob');
    const applied = await cli(['remediate', 'apply', plan.id]);
    const listed = await cli(['remediate', 'list']);
    const jsonl = await cli(['audit', '--scope', 'prod', '--format', 'jsonl']);
    const text = await cli(['audit']);

    expect([planned.code, approved.code, applied.code, listed.code, jsonl.code, text.code]).toEqual(
      [0, 0, 0, 0, 0, 0],
    );
    expect(approved.stdout.split('\n')[0]).toBe(`plan ${plan.id} · accept · scope prod · APPROVED`);
    expect(applied.stdout).toContain(
      '  outcome: the baseline of prod now holds the current values of 1 path(s)\n',
    );
    expect(listed.stdout).toMatch(
      new RegExp(`^${plan.id}  applied   accept  prod  1 resource\\(s\\)  by cli:ada  \\d{4}-`),
    );
    const entries = jsonl.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(entries.map((e) => [e.actor, e.action, e.state])).toEqual([
      ['cli:ada', 'request', 'pending'],
      ['cli:bob', 'approve', 'approved'],
      ['cli:ada', 'apply', 'applying'],
      ['cli:ada', 'verify', 'applied'],
    ]);
    expect(text.stdout.trim().split('\n')).toHaveLength(4);
    expect(text.stdout).toContain(
      `cli:bob  approve   ok      plan ${plan.id} (accept, prod) → approved: 1 of 1 approvals\n`,
    );
    const store = await openStore({ path: join(cwd, 'store.sqlite') });
    const baseline = await store.getBaseline('prod');
    await store.close();
    expect(baseline?.snapshot.resources[0]?.properties?.allowBlobPublicAccess).toBe(true);
    expect(baseline?.record.setBy).toBe('cli:ada');
  });

  it('previews with --dry-run storing nothing, then rejects, cancels, shows and reports status with the same rules as chat', async () => {
    const plan = (actor = 'cli:ada', ...more: string[]) =>
      cli(
        ['remediate', 'plan', fingerprint, '--scope', 'prod', '--strategy', 'accept', ...more],
        actor,
      );
    const preview = await plan('cli:ada', '--dry-run');
    const afterPreview = await cli(['remediate', 'list']);
    const auditAfterPreview = await cli(['audit']);
    const first = JSON.parse((await plan('cli:ada', '--format', 'json')).stdout) as RemediationPlan;
    const selfApproval = await cli(['remediate', 'approve', first.id]);
    const rejected = await cli(['remediate', 'reject', first.id, '--reason', 'freeze'], 'cli:bob');
    const shown = await cli(['remediate', 'show', first.id.slice(0, 4)], 'cli:bob');
    const second = JSON.parse(
      (await plan('cli:bob', '--format', 'json')).stdout,
    ) as RemediationPlan;
    const openBefore = await cli(['remediate', 'status']);
    const strangerCancel = await cli(['remediate', 'cancel', second.id], 'cli:eve');
    const cancelled = await cli(['remediate', 'cancel', second.id, '--reason', 'wrong finding']);
    const openAfter = await cli(['remediate', 'status', '--scope', 'prod']);
    const onePlan = await cli(['remediate', 'status', second.id, '--format', 'json']);

    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/^plan [0-9a-f]{12} · accept · scope prod · PENDING\n/);
    expect(preview.stdout).toContain(
      '  on apply: the baseline of prod takes the current values of these paths\ndry run: nothing was stored or requested\n',
    );
    expect(afterPreview.stdout).toBe('no remediation plans\n');
    expect(auditAfterPreview.stdout).toBe('the audit log is empty\n');
    expect(selfApproval).toEqual({
      code: 1,
      stdout: '',
      stderr: `driftwatch: cli:ada requested plan ${first.id} and cannot approve it too (requesterCannotApprove); another approver must: cli:bob\n`,
    });
    expect(rejected.code).toBe(0);
    expect(rejected.stdout.split('\n')[0]).toBe(
      `plan ${first.id} · accept · scope prod · REJECTED`,
    );
    expect(rejected.stdout).toContain('  outcome: freeze\n');
    expect(shown.stdout.split('\n')[0]).toBe(`plan ${first.id} · accept · scope prod · REJECTED`);
    expect(openBefore.stdout).toMatch(
      new RegExp(`^${second.id}  pending   accept  prod  1 resource\\(s\\)  by cli:bob  \\d{4}-`),
    );
    expect(strangerCancel).toEqual({
      code: 1,
      stdout: '',
      stderr: `driftwatch: cli:eve neither requested plan ${second.id} nor approves scope prod, so they cannot cancel it\n`,
    });
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout.split('\n')[0]).toBe(
      `plan ${second.id} · accept · scope prod · CANCELLED`,
    );
    expect(openAfter.stdout).toBe('no open remediation requests\n');
    expect((JSON.parse(onePlan.stdout) as RemediationPlan).state).toBe('cancelled');
    const jsonl = await cli(['audit', '--format', 'jsonl']);
    expect(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntry)
        .map((e) => [e.actor, e.action, e.result]),
    ).toEqual([
      ['cli:ada', 'request', 'ok'],
      ['cli:ada', 'refuse', 'refused'],
      ['cli:bob', 'reject', 'ok'],
      ['cli:bob', 'request', 'ok'],
      ['cli:eve', 'refuse', 'refused'],
      ['cli:ada', 'cancel', 'ok'],
    ]);
  });

  it('keeps secrets out of the audit log, whatever a person types as the reason', async () => {
    const key = 'c2VjcmV0LWtleS12YWx1ZS1mb3ItdGVzdHM9PQ==';
    const planned = await cli([
      'remediate',
      'plan',
      fingerprint,
      '--scope',
      'prod',
      '--strategy',
      'accept',
      '--reason',
      `rotated: AccountKey=${key};`,
      '--format',
      'json',
    ]);
    const jsonl = await cli(['audit', '--format', 'jsonl']);

    expect(planned.code).toBe(0);
    expect(jsonl.stdout).not.toContain(key);
    expect((JSON.parse(jsonl.stdout.split('\n')[0] ?? '') as AuditEntry).message).toBe(
      'rotated: AccountKey=***;',
    );
  });

  it.each([
    [
      ['remediate', 'approve', 'not-an-id'],
      'cli:bob',
      'driftwatch: "not-an-id" is not a plan id: plan ids are 12 hex characters (a unique prefix of 4 or more works), as remediate list shows\n',
    ],
    [
      ['remediate', 'show', 'abcdef012345'],
      'cli:bob',
      'driftwatch: no remediation plan "abcdef012345"; remediate list shows the plans\n',
    ],
    [
      ['remediate', 'plan', 'zz', '--scope', 'prod', '--strategy', 'accept'],
      'cli:ada',
      'driftwatch: "zz" is not a finding id: give its fingerprint or a prefix of at least 4 hex characters, as the report shows in [brackets]\n',
    ],
    [
      ['remediate', 'plan', 'abcd', '--scope', 'staging', '--strategy', 'accept'],
      'cli:ada',
      'driftwatch: scope "staging" has no remediation policy, so nothing can be remediated there; add remediation.scopes.staging (approvers, strategies) to the config file (policies exist for: prod)\n',
    ],
    [
      ['remediate', 'list'],
      'ada',
      'driftwatch: DRIFTWATCH_ACTOR "ada": expected <kind>:<id> with kind one of cli, slack, slack-group, entra, entra-group, teams (e.g. cli:alice, slack:U024BE7LH, entra-group:6f1c…)\n',
    ],
  ])('refuses %j with one clear error', async (args, actor, message) => {
    const run = await cli(args, actor);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(message);
    expect(run.stdout).toBe('');
  });

  it('names the valid strategies for an unknown one', async () => {
    const run = await cli(['remediate', 'plan', fingerprint, '--strategy', 'rollback']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: option '--strategy <strategy>' argument 'rollback' is invalid\. Allowed choices are revert, accept, redeploy\.\n/,
    );
  });
});
