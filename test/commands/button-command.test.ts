import { describe, expect, it } from 'vitest';
import { buttonCommand } from '../../core/commands/button-command.js';

const finding = { fingerprint: '7f3a12c4', scope: 'prod', reportId: 'r1' };

describe('buttonCommand', () => {
  it.each([
    ['show-diff', 'Slack', { verb: 'show', finding }],
    ['accept', 'Teams', { verb: 'accept', finding, reason: 'accepted from a Teams summary' }],
    [
      'ignore-7d',
      'Slack',
      {
        verb: 'ignore',
        target: { kind: 'finding', finding },
        durationMs: 604_800_000,
        durationText: '7d',
      },
    ],
    ['approve-plan', 'Slack', undefined],
  ] as const)('%s in %s is %j', (kind, where, expected) => {
    expect(buttonCommand(kind, finding, where)).toEqual(expected);
  });
});
