import { describe, expect, it } from 'vitest';
import { authoriseCommand, type ChatActor } from '../../core/commands/authorise-command.js';
import type { ChatCommand } from '../../core/commands/parse-command.js';
import { ChatAccessConfig } from '../../core/config/sections/chat-config.js';
import { PermissionError } from '../../core/errors.js';

const access = ChatAccessConfig.parse({ admins: ['UADMIN1'], adminGroups: ['SADMINS'] });
const fakeActor = (id: string, groups: string[] = []): ChatActor => ({
  id,
  inGroup: async (group) => groups.includes(group),
});
const accept: ChatCommand = { verb: 'accept', finding: { fingerprint: 'abcd1234' } };
const status: ChatCommand = { verb: 'status' };
const scan: ChatCommand = { verb: 'scan' };

describe('authoriseCommand', () => {
  it.each([
    ['anyone runs a read-only verb', status, fakeActor('UANYONE'), access],
    ['an admin runs a changing verb', accept, fakeActor('UADMIN1'), access],
    [
      'an admin-group member runs a changing verb',
      accept,
      fakeActor('UMEMBER', ['SADMINS']),
      access,
    ],
    [
      'anyone asks for help, even with readers set',
      { verb: 'help' } as ChatCommand,
      fakeActor('UX'),
      ChatAccessConfig.parse({ readers: ['UREADER'] }),
    ],
    [
      'a listed reader reads',
      status,
      fakeActor('UREADER'),
      ChatAccessConfig.parse({ readers: ['UREADER'] }),
    ],
    [
      'a reader-group member reads',
      status,
      fakeActor('UR', ['SREAD']),
      ChatAccessConfig.parse({ readerGroups: ['SREAD'] }),
    ],
  ])('allows: %s', async (_case, command, actor, config) => {
    await expect(authoriseCommand(command, actor, config)).resolves.toBeUndefined();
  });

  it.each([
    [
      'a non-admin runs accept',
      accept,
      fakeActor('UANYONE'),
      access,
      'You are not a driftwatch admin, so you cannot run accept. Admins: @UADMIN1, @SADMINS.',
    ],
    [
      'a non-admin runs an adminOnly read verb',
      scan,
      fakeActor('UANYONE'),
      ChatAccessConfig.parse({ admins: ['UADMIN1'], adminOnly: ['scan'] }),
      'You are not a driftwatch admin, so you cannot run scan. Admins: @UADMIN1.',
    ],
    [
      'nobody is admin',
      accept,
      fakeActor('UANYONE'),
      ChatAccessConfig.parse({}),
      'You are not a driftwatch admin, so you cannot run accept. No admins are configured: set chat.access.slack.admins or chat.access.slack.adminGroups in driftwatch.config.yaml.',
    ],
    [
      'a non-reader reads when readers are set',
      status,
      fakeActor('UOTHER'),
      ChatAccessConfig.parse({ readers: ['UREADER'], admins: ['UADMIN1'] }),
      'You are not on the driftwatch readers list, so you cannot run status. Ask one of: @UREADER, @UADMIN1.',
    ],
    [
      'a non-admin reads remediation plans when status is admin-only',
      { verb: 'remediate', action: 'list' } as ChatCommand,
      fakeActor('UANYONE'),
      ChatAccessConfig.parse({ admins: ['UADMIN1'], adminOnly: ['status'] }),
      'You are not a driftwatch admin, so you cannot run remediate. Admins: @UADMIN1.',
    ],
    [
      'a non-reader reads the remediation audit when readers are set',
      { verb: 'audit' } as ChatCommand,
      fakeActor('UOTHER'),
      ChatAccessConfig.parse({ readers: ['UREADER'] }),
      'You are not on the driftwatch readers list, so you cannot run audit. Ask one of: @UREADER.',
    ],
  ])('refuses: %s', async (_case, command, actor, config, message) => {
    const attempt = authoriseCommand(command, actor, config);
    await expect(attempt).rejects.toThrow(PermissionError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('names who may as structured mentions for chat, never as tokens in text', async () => {
    const error = await authoriseCommand(accept, fakeActor('UANYONE'), access).catch((e) => e);

    expect((error as PermissionError).details.reply).toEqual([
      'You are not a driftwatch admin, so you cannot run accept. ',
      'Admins: ',
      { mention: 'user', id: 'UADMIN1' },
      ', ',
      { mention: 'group', id: 'SADMINS' },
      '.',
    ]);
  });
});
