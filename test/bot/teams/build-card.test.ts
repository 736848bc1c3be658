import { describe, expect, it } from 'vitest';
import type { AdaptiveCard, Container } from '../../../bot/teams/adaptive-card.js';
import { buildTeamsCards } from '../../../bot/teams/build-card.js';
import { jsonBytes, TEAMS_LIMITS } from '../../../bot/teams/teams-limits.js';
import {
  type ChatMessage,
  mentionGroup,
  mentionUser,
} from '../../../core/commands/chat-message.js';
import { summariseReport } from '../../../core/commands/summarise-report.js';
import { fakeFinding, fakeIds, fakeReport, fakeStore, NOW } from '../../commands/fake-drift.js';

const ADMIN = '6f1c2a4e-0000-4000-8000-00000000a001';

const finding: ChatMessage = {
  visibility: 'channel',
  text: 'Drift in prod',
  header: 'Drift in prod · 1 critical',
  tone: 'critical',
  blocks: [
    { kind: 'facts', facts: [{ label: 'Findings', value: '1' }] },
    {
      kind: 'finding',
      finding: {
        severity: 'critical',
        resource: 'nsg-web-prod',
        summary: 'rule <allow-ssh> & more',
        details: ['changed by ops@contoso.com'],
        actions: [
          { kind: 'show-diff', label: 'Show diff', id: 'k1' },
          { kind: 'accept', label: 'Accept', id: 'k1', style: 'primary' },
        ],
      },
    },
  ],
  reportUrl: 'https://driftwatch.example/reports/r1',
};

describe('buildTeamsCards', () => {
  it('renders a summary as an Adaptive Card 1.5 with a coloured header, facts, a container per finding and Action.Execute buttons', () => {
    const { main, replies, text } = buildTeamsCards(finding, {
      refresh: { cardId: 'c1', userIds: ['29:admin'] },
    });

    expect(text).toBe('Drift in prod');
    expect(replies).toEqual([]);
    expect(main).toEqual({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      fallbackText: 'Drift in prod',
      msteams: { width: 'Full' },
      refresh: {
        action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { card: 'c1' } },
        userIds: ['29:admin'],
      },
      actions: [
        {
          type: 'Action.OpenUrl',
          title: 'View full report ↗',
          url: 'https://driftwatch.example/reports/r1',
        },
      ],
      body: [
        {
          type: 'TextBlock',
          text: '🔴 Drift in prod · 1 critical',
          wrap: true,
          weight: 'Bolder',
          size: 'Medium',
          style: 'heading',
          color: 'attention',
        },
        { type: 'FactSet', facts: [{ title: 'Findings', value: '1' }] },
        {
          type: 'Container',
          separator: true,
          spacing: 'Medium',
          items: [
            {
              type: 'TextBlock',
              text: '🔴 CRITICAL · nsg-web-prod',
              wrap: true,
              weight: 'Bolder',
              color: 'attention',
            },
            {
              type: 'TextBlock',
              text: 'rule \\<allow-ssh\\> \\& more',
              wrap: true,
              spacing: 'None',
            },
            {
              type: 'TextBlock',
              text: 'changed by ops@contoso.com',
              wrap: true,
              isSubtle: true,
              size: 'Small',
              spacing: 'None',
            },
            {
              type: 'ActionSet',
              actions: [
                {
                  type: 'Action.Execute',
                  title: 'Show diff',
                  verb: 'show-diff',
                  data: { id: 'k1', card: 'c1' },
                },
                {
                  type: 'Action.Execute',
                  title: 'Accept',
                  verb: 'accept',
                  data: { id: 'k1', card: 'c1' },
                  style: 'positive',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('leaves out the buttons a viewer may not use (the read-only card)', () => {
    const { main } = buildTeamsCards(finding, { live: (a) => a.kind === 'show-diff' });

    const container = main.body[2] as Container;
    expect(container.items.at(-1)).toEqual({
      type: 'ActionSet',
      actions: [
        { type: 'Action.Execute', title: 'Show diff', verb: 'show-diff', data: { id: 'k1' } },
      ],
    });
    const { main: none } = buildTeamsCards(finding, { live: () => false });
    expect(JSON.stringify(none)).not.toContain('Action.Execute');
  });

  it('asks for refresh for at most 60 users, as Teams allows', () => {
    const userIds = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);

    const { main } = buildTeamsCards(finding, { refresh: { cardId: 'c1', userIds } });

    expect(main.refresh?.userIds).toHaveLength(60);
    expect(main.refresh?.userIds.at(-1)).toBe('29:user-59');
  });

  it('puts a confirmation under the button that asks for it, with the real Action.Execute inside', () => {
    const { main } = buildTeamsCards({
      visibility: 'channel',
      text: 'Approve?',
      blocks: [
        {
          kind: 'actions',
          actions: [
            {
              kind: 'approve-plan',
              label: 'Approve',
              id: 'p1',
              style: 'primary',
              confirm: {
                title: 'Apply to prod?',
                text: 'This writes to *production*.',
                confirm: 'Approve',
                deny: 'Cancel',
              },
            },
          ],
        },
      ],
    });

    expect(main.body).toEqual([
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.ShowCard',
            title: 'Approve',
            card: {
              type: 'AdaptiveCard',
              version: '1.5',
              body: [
                { type: 'TextBlock', text: 'Apply to prod?', wrap: true, weight: 'Bolder' },
                { type: 'TextBlock', text: 'This writes to \\*production\\*.', wrap: true },
              ],
              actions: [
                {
                  type: 'Action.Execute',
                  title: 'Approve',
                  verb: 'approve-plan',
                  data: { id: 'p1' },
                  style: 'positive',
                },
              ],
            },
          },
        ],
      },
    ]);
  });

  it('mentions only through driftwatch’s own mention elements, with one entity per person', () => {
    const hostile = '<at>Admin</at> [x](http://evil) **b** {{DATE(2026-11-21T09:00:00Z)}}\n- item';
    const { main } = buildTeamsCards(
      {
        visibility: 'channel',
        text: hostile,
        header: hostile,
        blocks: [
          {
            kind: 'rich',
            parts: [`Accepted ${hostile} by `, mentionUser(ADMIN), ' and ', mentionUser(ADMIN)],
          },
          {
            kind: 'rich',
            parts: ['group: ', mentionGroup('entra-ops'), ' and ', mentionUser('bob')],
          },
          {
            kind: 'finding',
            finding: {
              severity: 'low',
              resource: hostile,
              summary: hostile,
              details: [hostile],
              actions: [],
            },
          },
          { kind: 'facts', facts: [{ label: hostile, value: hostile }] },
          { kind: 'context', lines: [hostile] },
          { kind: 'code', text: hostile },
        ],
      },
      { names: { [ADMIN]: 'Ada <Admin>' } },
    );
    const json = JSON.stringify(main.body);

    expect(main.msteams).toEqual({
      width: 'Full',
      entities: [
        {
          type: 'mention',
          text: '<at>Ada Admin</at>',
          mentioned: { id: ADMIN, name: 'Ada Admin' },
        },
      ],
    });
    expect(json.match(/<at>/g)).toHaveLength(2);
    expect(json).not.toMatch(/[^\\]\[x\]|[^\\]\{\{DATE|[^\\]\*\*b/);
    expect(json).toContain('group entra-ops and @bob');
    expect(main.body[1]).toEqual({
      type: 'TextBlock',
      text: 'Accepted \\<at\\>Admin\\</at\\> \\[x\\]\\(http\\://evil\\) \\*\\*b\\*\\* \\{\\{DATE\\(2026-11-21T09:00:00Z\\)\\}\\}',
      wrap: true,
    });
    expect(main.body[2]).toEqual({
      type: 'TextBlock',
      text: '\\- item by <at>Ada Admin</at> and <at>Ada Admin</at>',
      wrap: true,
      spacing: 'None',
    });
  });

  it('adds Back to a one-user view of a stored card', () => {
    const { main } = buildTeamsCards(
      { visibility: 'ephemeral', text: 'diff', blocks: [{ kind: 'code', text: 'a → b' }] },
      { back: { cardId: 'c9' } },
    );

    expect(main.actions).toEqual([
      { type: 'Action.Execute', title: 'Back', verb: 'refresh', data: { card: 'c9' } },
    ]);
    expect(main.refresh).toBeUndefined();
  });

  it('keeps a 1,000-finding drift under the size limit: top findings with buttons, capped replies, the rest behind the report link', async () => {
    const store = await fakeStore();
    const findings = Array.from({ length: 1000 }, (_, i) =>
      fakeFinding(
        `resource-with-a-long-name-${String(i).padStart(4, '0')}`,
        i % 7 ? 'medium' : 'high',
        {
          attribution: { kind: 'actor', summary: `someone-${i}@contoso.com via Azure Portal` },
        },
      ),
    );
    const message = await summariseReport({
      report: fakeReport('prod', findings),
      reportId: 'r1',
      scope: 'prod',
      store,
      now: new Date(NOW),
      timezone: 'UTC',
      topFindings: 5,
      reportUrl: 'https://driftwatch.example/reports',
      newId: fakeIds(),
    });

    const { main, replies } = buildTeamsCards(message, {
      refresh: { cardId: 'c1', userIds: Array.from({ length: 60 }, (_, i) => `29:u${i}`) },
    });

    expect(jsonBytes(main)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(countExecute(main.body)).toBe(5 * 3);
    expect(main.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'View full report ↗',
        url: 'https://driftwatch.example/reports/r1',
      },
    ]);
    expect(replies).toHaveLength(TEAMS_LIMITS.replyCards);
    for (const reply of replies) {
      expect(jsonBytes(reply)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
      expect(reply.refresh).toBeUndefined();
    }
    const shown = replies.flatMap((r) => r.body.filter((e) => e.type === 'Container')).length;
    const last = replies.at(-1)?.body.at(-1);
    expect(last).toEqual({
      type: 'TextBlock',
      text: `${(995 - shown).toLocaleString('en-US')} more findings not shown here: the full report has them all`,
      wrap: true,
      isSubtle: true,
      size: 'Small',
      separator: true,
    });
    await store.close();
  });

  it('cuts what does not fit into one card and says how much is missing', () => {
    const many: ChatMessage = {
      visibility: 'channel',
      text: 'many',
      header: 'Many findings',
      blocks: Array.from({ length: 300 }, (_, i) => ({
        kind: 'finding' as const,
        finding: {
          severity: 'high' as const,
          resource: `res-${i}`,
          summary: 'x'.repeat(200),
          details: [],
          actions: [{ kind: 'accept' as const, label: 'Accept', id: `k${i}` }],
        },
      })),
    };

    const { main } = buildTeamsCards(many);

    expect(jsonBytes(main)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    const containers = main.body.filter((e) => e.type === 'Container').length;
    expect(containers).toBeGreaterThan(20);
    expect(main.body.at(-1)).toMatchObject({
      type: 'TextBlock',
      text: `${300 - containers} more findings not shown here: driftwatch report lists them all`,
    });
  });

  it('never cuts the message’s own buttons: Approve and Reject stay under a body that does not fit', () => {
    const { main } = buildTeamsCards({
      visibility: 'channel',
      text: 'approval',
      header: 'Remediation request · revert · prod',
      blocks: [
        ...Array.from({ length: 20 }, (_, i) => ({
          kind: 'code' as const,
          text: `${i} ${'{"a":1}'.repeat(300)}`,
        })),
        {
          kind: 'actions',
          actions: [
            { kind: 'approve-plan', label: 'Approve', id: 'p1', style: 'primary' },
            { kind: 'reject-plan', label: 'Reject', id: 'p1', style: 'danger' },
          ],
        },
      ],
    });

    expect(jsonBytes(main)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    const [more, buttons] = main.body.slice(-2);
    expect(more).toMatchObject({ type: 'TextBlock', isSubtle: true });
    expect((more as { text: string }).text).toMatch(/^\d+ more parts not shown here/);
    expect(buttons).toEqual({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Execute',
          title: 'Approve',
          verb: 'approve-plan',
          data: { id: 'p1' },
          style: 'positive',
        },
        {
          type: 'Action.Execute',
          title: 'Reject',
          verb: 'reject-plan',
          data: { id: 'p1' },
          style: 'destructive',
        },
      ],
    });
  });

  it('shows as much of a single huge text as fits, never an oversized card', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n');

    const { main } = buildTeamsCards({
      visibility: 'channel',
      text: 'x'.repeat(50_000),
      header: 'h'.repeat(1000),
      blocks: [
        { kind: 'text', text: long },
        { kind: 'code', text: 'z'.repeat(9000) },
      ],
    });

    expect(jsonBytes(main)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(main.fallbackText).toHaveLength(300);
    expect((main.body[0] as { text: string }).text).toHaveLength(300);
    expect(main.body[1]).toEqual({
      type: 'TextBlock',
      text: `line 0 ${'y'.repeat(40)}`,
      wrap: true,
    });
    expect(main.body.at(-1)).toMatchObject({
      text: '1 more part not shown here: driftwatch report lists them all',
    });
  });
});

function countExecute(body: AdaptiveCard['body']): number {
  return JSON.stringify(body).match(/"Action\.Execute"/g)?.length ?? 0;
}
