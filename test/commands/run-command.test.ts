import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { loadActionContext } from '../../core/commands/action-context.js';
import type { ChatActor } from '../../core/commands/authorise-command.js';
import type { CommandDeps } from '../../core/commands/command-ports.js';
import { runCommand } from '../../core/commands/run-command.js';
import type { Finding } from '../../core/model/report.js';
import type { ChatSubscription } from '../../core/schedule/chat-subscriptions.js';
import { listChatIgnoreRules } from '../../core/store/chat-ignore-rules.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import {
  fakeConfig,
  fakeFinding,
  fakeIds,
  fakeReport,
  fakeScanner,
  fakeStore,
  NOW,
} from './fake-drift.js';

const admin: ChatActor = { id: 'UADMIN1', name: 'ada' };
const member: ChatActor = { id: 'UMEMBER' };

describe('runCommand', () => {
  let store: DriftStore;
  let deps: CommandDeps;
  let scheduled: string[];

  beforeEach(async () => {
    store = await fakeStore();
    scheduled = [];
    const findings = [
      fakeFinding('nsg-web-prod', 'critical', {
        attribution: { kind: 'actor', summary: 'ops-user@contoso.com via Azure Portal' },
      }),
      fakeFinding('stprodlogs01', 'high'),
      ...Array.from({ length: 6 }, (_, i) => fakeFinding(`vm-${i}`, 'low')),
    ];
    const { scan } = fakeScanner(store, {
      prod: [fakeReport('prod', findings)],
      dev: [fakeReport('dev', [])],
    });
    deps = {
      store,
      config: fakeConfig(),
      clock: fixedClock(NOW),
      scan,
      actor: admin,
      conversation: { chat: 'slack', id: 'C0PROD' },
      newId: fakeIds(),
      schedules: {
        upsert: async (s: ChatSubscription) =>
          void scheduled.push(`upsert ${s.id} ${s.schedule.cron}`),
        remove: async (id: string) => void scheduled.push(`remove ${id}`),
      },
    };
  });
  afterEach(() => store.close());

  it('scan posts a summary with the top five findings, buttons with opaque ids, and the rest in the thread', async () => {
    const reply = await runCommand('scan prod', deps);

    expect(reply.outcome).toBe('ok');
    const { message } = reply;
    expect(message.header).toBe('Drift in prod · 1 critical, 1 high, 6 low');
    expect(message.visibility).toBe('channel');
    const findings = message.blocks.filter((b) => b.kind === 'finding');
    expect(findings).toHaveLength(5);
    expect(findings[0]).toEqual({
      kind: 'finding',
      finding: {
        severity: 'critical',
        resource: 'nsg-web-prod',
        summary: 'SSH reachable from anywhere (10.10.0.4/32 → *)',
        details: [
          'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
          'changed by ops-user@contoso.com via Azure Portal',
          'id nsg-web-',
        ],
        actions: [
          { kind: 'show-diff', label: 'Show diff', id: 'act1' },
          { kind: 'accept', label: 'Accept', id: 'act1', style: 'primary' },
          { kind: 'ignore-7d', label: 'Ignore 7 days', id: 'act1' },
        ],
      },
    });
    expect(message.thread).toHaveLength(3);
    expect(message.blocks.at(-1)).toEqual({
      kind: 'context',
      lines: ['3 more in the thread', 'suppressed 3,912 platform-managed or ignored changes'],
    });
    const context = await loadActionContext(store, 'act1');
    expect(context?.scope).toBe('prod');
    expect(context?.fingerprint).toBe('nsg-web-prod-0123456789abcdef');
  });

  it('scan without a scope, when several exist, asks which one', async () => {
    const reply = await runCommand('scan', deps);

    expect(reply.outcome).toBe('usage');
    expect(reply.message.text).toBe('name a scope; known scopes: dev, prod');
    expect(reply.message.visibility).toBe('ephemeral');
  });

  it('status of a scope shows the latest stored report without scanning', async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand({ verb: 'status', scope: 'prod' }, { ...deps, actor: member });

    expect(reply.message.header).toBe('Drift in prod · 1 critical, 1 high, 6 low');
  });

  it('status answers only the asker unless --share', async () => {
    await runCommand('scan prod', deps);

    const asked = await runCommand('status prod', { ...deps, actor: member });
    const shared = await runCommand('status prod --share', { ...deps, actor: member });
    const all = await runCommand('status --share', { ...deps, actor: member });

    expect([asked, shared, all].map((r) => r.message.visibility)).toEqual([
      'ephemeral',
      'channel',
      'channel',
    ]);
  });

  it('status after an accept lists neither the accepted finding nor its buttons', async () => {
    await runCommand('scan prod', deps);
    await runCommand('accept nsg-web', deps);

    const reply = await runCommand('status prod', { ...deps, actor: member });
    const overview = await runCommand('status', { ...deps, actor: member });

    expect(reply.message.header).toBe('Drift in prod · 1 high, 6 low');
    const resources = reply.message.blocks.flatMap((b) =>
      b.kind === 'finding' ? [b.finding.resource] : [],
    );
    expect(resources).toEqual(['stprodlogs01', 'vm-0', 'vm-1', 'vm-2', 'vm-3']);
    expect(reply.message.blocks.at(-1)).toEqual({
      kind: 'context',
      lines: [
        '2 more in the thread',
        'suppressed 3,912 platform-managed or ignored changes',
        '1 accepted',
      ],
    });
    expect(overview.message.blocks).toEqual([
      {
        kind: 'text',
        text: 'dev: not scanned yet\nprod: 7 findings (max high) · scanned 09:00 UTC',
      },
    ]);
  });

  it('status of all scopes lists one line each', async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand('status', { ...deps, actor: member });

    expect(reply.message.blocks).toEqual([
      {
        kind: 'text',
        text: 'dev: not scanned yet\nprod: 8 findings (max critical) · scanned 09:00 UTC',
      },
    ]);
  });

  it('history lists scans newest first', async () => {
    await runCommand('scan prod', deps);
    await runCommand('scan dev', deps);

    const reply = await runCommand('history', { ...deps, actor: member });

    const [block] = reply.message.blocks;
    expect(
      block?.kind === 'text' &&
        block.text.split('\n').map((l) => l.replace(/report \w+$/, 'report …')),
    ).toEqual([
      '09:00 UTC · dev · 0 findings · report …',
      '09:00 UTC · prod · 8 findings (max critical) · report …',
    ]);
  });

  it('show prints every change of a finding by id prefix', async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand('show stprodlo', { ...deps, actor: member });

    expect(reply.message.header).toBe('stprodlogs01 · high');
    expect(reply.message.blocks.at(-1)).toEqual({
      kind: 'code',
      text: 'properties.securityRules[allow-ssh].properties.sourceAddressPrefix\n  10.10.0.4/32 → *   (high: SSH reachable from anywhere)',
    });
  });

  it('show of an unknown id says how to find ids', async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand('show zzzz9999', deps);

    expect(reply.outcome).toBe('usage');
    expect(reply.message.text).toBe(
      'no finding "zzzz9999" in the latest reports; /drift status <scope> lists current ids',
    );
  });

  it('accept records who accepted what, and why', async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand('accept nsg-web "change CHG-42"', deps);

    expect(reply.message.text).toBe(
      'Accepted nsg-web-prod (critical, id nsg-web-) in prod · by @UADMIN1 · "change CHG-42"',
    );
    expect(await store.listAccepted('prod')).toEqual([
      {
        scope: 'prod',
        fingerprint: 'nsg-web-prod-0123456789abcdef',
        resourceId: expect.stringContaining('/networkSecurityGroups/nsg-web-prod'),
        by: 'ada',
        reason: 'change CHG-42',
        at: NOW,
      },
    ]);
  });

  it('accept by a non-admin is refused with who may', async () => {
    const reply = await runCommand('accept nsg-web', { ...deps, actor: member });

    expect(reply.outcome).toBe('denied');
    expect(reply.message.text).toBe(
      'You are not a driftwatch admin, so you cannot run accept. Admins: @UADMIN1, @SADMINS.',
    );
  });

  it("ignore of a finding creates a rule for its resource's changed paths with owner, reason and expiry", async () => {
    await runCommand('scan prod', deps);

    const reply = await runCommand('ignore stprodlogs for 3d vendor fix pending', deps);

    expect(reply.message.text).toBe(
      'Ignoring changes to properties.securityRules[allow-ssh].properties.sourceAddressPrefix of stprodlogs01 (id stprodlo) in prod until Nov 24 09:00 UTC · by @UADMIN1 · "vendor fix pending"',
    );
    expect(await listChatIgnoreRules(store, 'prod')).toEqual([
      {
        id: expect.stringContaining('/networkSecurityGroups/stprodlogs01'),
        path: 'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
        owner: 'ada',
        reason: 'vendor fix pending',
        expires: '2026-11-24T09:00:00.000Z',
      },
    ]);
  });

  it('ignore of a finding with several changes covers each path; of an added resource, the resource', async () => {
    const change = fakeFinding('x', 'high').changes[0] as Finding['changes'][number];
    await store.saveReport(
      fakeReport('dev', [
        fakeFinding('nsg-multi', 'high', {
          changes: [
            { ...change, path: 'properties.securityRules[allow-ssh].properties.access' },
            { ...change, path: 'tags.owner' },
          ],
        }),
        fakeFinding('vm-added', 'medium', { change: 'added', changes: [] }),
      ]),
    );

    const multi = await runCommand('ignore nsg-multi', deps);
    const added = await runCommand('ignore vm-added', deps);

    expect([multi.message.text, added.message.text]).toEqual([
      'Ignoring changes to 2 properties of nsg-multi (id nsg-mult) in dev until Nov 28 09:00 UTC · by @UADMIN1 · "ignored from chat by ada"',
      'Ignoring vm-added (id vm-added) in dev until Nov 28 09:00 UTC · by @UADMIN1 · "ignored from chat by ada"',
    ]);
    expect(
      (await listChatIgnoreRules(store, 'dev')).map((r) => [r.id?.split('/').at(-1), r.path]),
    ).toEqual([
      ['nsg-multi', 'properties.securityRules[allow-ssh].properties.access'],
      ['nsg-multi', 'tags.owner'],
      ['vm-added', undefined],
    ]);
  });

  it('ignore of a path without a scope applies to every scope', async () => {
    await runCommand('ignore properties.tags.* for 1d', deps);

    expect(await listChatIgnoreRules(store, 'dev')).toEqual([
      {
        path: 'properties.tags.*',
        owner: 'ada',
        reason: 'ignored from chat by ada',
        expires: '2026-11-22T09:00:00.000Z',
      },
    ]);
  });

  it('subscribe, subscriptions and unsubscribe keep the scheduler in step', async () => {
    const subscribed = await runCommand(
      'subscribe prod weekdays 08:30 tz=Europe/Berlin --min-severity high',
      deps,
    );
    const listed = await runCommand('subscriptions', { ...deps, actor: member });
    const removed = await runCommand('unsubscribe all', deps);

    expect(subscribed.message.text).toBe(
      'Subscribed this channel to prod: weekdays 08:30 (Europe/Berlin), next Nov 23 08:30 GMT+1; posts only when something changed, findings at or above high.',
    );
    expect(listed.message.blocks).toEqual([
      {
        kind: 'text',
        text: 'prod: weekdays 08:30 (Europe/Berlin) · next Nov 23 08:30 GMT+1 · at or above high',
      },
    ]);
    expect(removed.message.text).toBe('Unsubscribed this channel from prod.');
    expect(scheduled).toEqual([
      'upsert slack:C0PROD:prod 30 8 * * 1-5',
      'remove slack:C0PROD:prod',
    ]);
  });

  it('subscribe with a bad schedule says what would be valid', async () => {
    const reply = await runCommand('subscribe prod daily 9am', deps);

    expect(reply.outcome).toBe('usage');
    expect(reply.message.text).toBe('schedule "daily 9am": "9am" is not a time such as 09:00');
  });

  it('devops without Azure DevOps configured says what to set', async () => {
    const reply = await runCommand('devops', deps);

    expect(reply.message.text).toBe(
      'Azure DevOps is not configured: set devops.orgUrl in driftwatch.config.yaml and AZURE_DEVOPS_PAT.',
    );
  });

  it('devops shows the inventory summary', async () => {
    const devops = async () => ({
      organisation: 'contoso',
      facts: [{ label: 'Pipelines', value: '42' }],
      notes: ['project Legacy: 403'],
    });

    const reply = await runCommand('devops', { ...deps, devops });

    expect(reply.message.header).toBe('Azure DevOps · contoso');
    expect(reply.message.blocks).toEqual([
      { kind: 'facts', facts: [{ label: 'Pipelines', value: '42' }] },
      { kind: 'context', lines: ['project Legacy: 403'] },
    ]);
  });

  it('help lists every verb', async () => {
    const reply = await runCommand('help', { ...deps, actor: member });

    const [block] = reply.message.blocks;
    const lines = block?.kind === 'text' ? block.text.split('\n') : [];
    expect(lines).toHaveLength(13);
    expect(lines.slice(-2)).toEqual([
      '/drift remediate list [scope] | show <plan id> — remediation plans, newest first, or one as its approval shows it',
      '/drift audit [scope] — the latest remediation audit entries',
    ]);
  });

  it('a failing scan becomes one redacted line, never a stack trace', async () => {
    const scan = async () => {
      throw new Error('ARM said no: Authorization: Bearer abcdefghijklmnop');
    };

    const reply = await runCommand('scan prod', { ...deps, scan });

    expect(reply.outcome).toBe('failed');
    expect(reply.message.text).toBe(
      'Could not run scan: unexpected error: ARM said no: Authorization: Bearer ***',
    );
  });
});
