import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { plainText } from '../../core/commands/chat-message.js';
import type { CommandDeps } from '../../core/commands/command-ports.js';
import { runCommand } from '../../core/commands/run-command.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeConfig, fakeReport, fakeScanner, fakeStore, NOW } from './fake-drift.js';

/** Every text of a reply, as one string. */
const said = (message: { text: string; header?: string; blocks: unknown[] }) =>
  [message.header ?? '', message.text, JSON.stringify(message.blocks)].join('\n');

describe('replies name the command the way the chat types it', () => {
  let store: DriftStore;
  let teams: CommandDeps;
  beforeAll(async () => {
    store = await fakeStore();
    const { scan } = fakeScanner(store, { prod: [fakeReport('prod', [])] });
    teams = {
      store,
      config: fakeConfig(),
      clock: fixedClock(NOW),
      scan,
      actor: { chat: 'teams', id: '6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10' },
      conversation: { chat: 'teams', id: '19:b2d5e0c8a1f94c3e@thread.tacv2' },
      invocation: '@driftwatch',
    };
  });
  afterAll(() => store.close());

  it.each([
    ['help', '@driftwatch scan [scope] — scan a scope now and post what drifted'],
    ['help scan', '@driftwatch scan'],
    ['frobnicate', 'unknown command "frobnicate"; try @driftwatch help'],
    ['subscribe', 'usage: @driftwatch subscribe <scope>'],
    ['status dev', 'No scan of dev yet. Run @driftwatch scan dev.'],
    ['show abcd1234', '@driftwatch status <scope> lists current ids'],
    [
      'subscriptions',
      'This channel has no subscriptions. @driftwatch subscribe <scope> daily 09:00 adds one.',
    ],
  ])('%s says %j and never /drift', async (input, expected) => {
    const { message } = await runCommand(input, teams);

    expect(said(message)).toContain(expected);
    expect(said(message)).not.toContain('/drift');
  });

  it('says /drift when the adapter names no invocation (Slack, the default)', async () => {
    const { invocation: _, ...slack } = teams;

    const { message } = await runCommand('frobnicate', { ...slack, actor: { id: 'UADMIN1' } });

    expect(plainText(message.text)).toBe('unknown command "frobnicate"; try /drift help');
  });
});
