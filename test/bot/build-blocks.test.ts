import { describe, expect, it } from 'vitest';
import { buildSlackMessages, splitText } from '../../bot/slack/build-blocks.js';
import { type ChatMessage, mentionGroup, mentionUser } from '../../core/commands/chat-message.js';
import { summariseReport } from '../../core/commands/summarise-report.js';
import { fakeFinding, fakeIds, fakeReport, fakeStore, NOW } from '../commands/fake-drift.js';
import { validateBlocks } from '../sim/slack/validate-blocks.js';

describe('buildSlackMessages', () => {
  it('renders a finding with severity, code-formatted name, escaped text and buttons', () => {
    const message: ChatMessage = {
      visibility: 'channel',
      text: 'Drift in prod',
      header: 'Drift in prod · 1 critical',
      tone: 'critical',
      blocks: [
        {
          kind: 'finding',
          finding: {
            severity: 'critical',
            resource: 'nsg-web-prod',
            summary: 'rule <allow-ssh> & more',
            details: ['changed by ops@contoso.com'],
            actions: [{ kind: 'accept', label: 'Accept', id: 'k1', style: 'primary' }],
          },
        },
      ],
    };

    const { main, thread } = buildSlackMessages(message);

    expect(main).toEqual({
      text: 'Drift in prod',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: ':red_circle: Drift in prod · 1 critical',
            emoji: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':red_circle: *CRITICAL* `nsg-web-prod` rule &lt;allow-ssh&gt; &amp; more\nchanged by ops@contoso.com',
          },
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'drift_accept',
              text: { type: 'plain_text', text: 'Accept', emoji: true },
              value: 'k1',
              style: 'primary',
            },
          ],
        },
      ],
    });
    expect(thread).toEqual([]);
  });

  it('turns only driftwatch’s own mention elements into mentions, never text from Azure', () => {
    const hostile = 'owner {{group:S123}} <!channel> <@U999> <https://evil.example|click>';
    const message: ChatMessage = {
      visibility: 'channel',
      text: `Drift: ${hostile}`,
      blocks: [
        {
          kind: 'finding',
          finding: {
            severity: 'low',
            resource: 'st{{user:U1}}',
            summary: `a tag changed (web → ${hostile})`,
            details: [`changed by ${hostile}`],
            actions: [],
          },
        },
        { kind: 'text', text: hostile },
        { kind: 'facts', facts: [{ label: 'owner', value: hostile }] },
        { kind: 'context', lines: [hostile] },
        { kind: 'code', text: hostile },
        {
          kind: 'rich',
          parts: [`Accepted ${hostile} · by `, mentionUser('UADMIN1'), ', ', mentionGroup('SOPS')],
        },
      ],
    };

    const { main } = buildSlackMessages(message);
    const json = JSON.stringify(main);

    const escaped =
      'owner {{group:S123}} &lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|click&gt;';
    expect(main.text).toBe(`Drift: ${escaped}`);
    expect(main.blocks.at(-1)).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `Accepted ${escaped} · by <@UADMIN1>, <!subteam^SOPS>` },
    });
    expect(json.match(/<[@!]/g)).toEqual(['<@', '<!']);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('subteam^S123');
    expect(validateBlocks(main.blocks)).toEqual([]);
  });

  it('masks secrets in chat text', () => {
    const { main } = buildSlackMessages({
      visibility: 'channel',
      text: 'Server=x;Password=Hunter2-Chat',
      blocks: [{ kind: 'text', text: 'AccountKey=abcDEF123456==;' }],
    });

    expect(JSON.stringify(main)).not.toMatch(/Hunter2-Chat|abcDEF123456/);
  });

  it('cuts headers to 150 characters and splits long text into valid sections', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const message: ChatMessage = {
      visibility: 'ephemeral',
      text: 'x'.repeat(50_000),
      header: 'h'.repeat(400),
      blocks: [
        { kind: 'text', text: long },
        { kind: 'code', text: 'y'.repeat(7000) },
      ],
    };

    const { main } = buildSlackMessages(message);

    expect(validateBlocks(main.blocks)).toEqual([]);
    expect((main.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect(main.text).toHaveLength(3000);
    expect(main.blocks.length).toBe(1 + 4 + 3);
  });

  it('puts the report link on the closing context line', () => {
    const { main } = buildSlackMessages({
      visibility: 'channel',
      text: 't',
      blocks: [{ kind: 'context', lines: ['3 more in the thread', 'next scan 15:00 UTC'] }],
      reportUrl: 'https://driftwatch.example/reports/r1',
    });

    expect(main.blocks).toEqual([
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '3 more in the thread' },
          { type: 'mrkdwn', text: 'next scan 15:00 UTC' },
          { type: 'mrkdwn', text: '<https://driftwatch.example/reports/r1|View full report ↗>' },
        ],
      },
    ]);
  });

  it('moves blocks past 50 into the thread', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => ({
      kind: 'text' as const,
      text: `block ${i}`,
    }));

    const { main, thread } = buildSlackMessages({ visibility: 'channel', text: 't', blocks });

    expect(main.blocks).toHaveLength(50);
    expect(main.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'continued in the thread' }],
    });
    expect(thread.flatMap((m) => m.blocks)).toHaveLength(31);
  });

  it('renders a 1,000-finding drift as valid messages: five with buttons, the rest packed in a capped thread', async () => {
    const store = await fakeStore();
    const findings = Array.from({ length: 1000 }, (_, i) =>
      fakeFinding(
        `resource-with-a-long-name-${String(i).padStart(4, '0')}`,
        i % 7 === 0 ? 'high' : 'medium',
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

    const { main, thread } = buildSlackMessages(message);

    expect(validateBlocks(main.blocks)).toEqual([]);
    expect(main.blocks.filter((b) => b.type === 'actions')).toHaveLength(5);
    expect(thread.length).toBeGreaterThan(1);
    expect(thread.length).toBeLessThanOrEqual(10);
    for (const reply of thread) expect(validateBlocks(reply.blocks)).toEqual([]);
    const threadText = JSON.stringify(thread);
    expect(threadText).toContain('resource-with-a-long-name-0995');
    await store.close();
  });

  it.each([
    ['a\nb', 3, ['a\nb']],
    ['aaaa\nbb', 4, ['aaaa', 'bb']],
    ['abcdefg', 3, ['abc', 'def', 'g']],
    ['', 5, [' ']],
  ])('splitText(%j, %d)', (text, max, expected) => {
    expect(splitText(text, max)).toEqual(expected);
  });
});
