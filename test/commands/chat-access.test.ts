import { describe, expect, it } from 'vitest';
import {
  accessForChat,
  authoriseCommand,
  type ChatActor,
} from '../../core/commands/authorise-command.js';
import type { ChatCommand } from '../../core/commands/parse-command.js';
import { parseConfig } from '../../core/config/load-config.js';
import { ChatAccessConfig } from '../../core/config/sections/chat-config.js';

const ALICE = '6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10';
const PLATFORM_LEADS = 'b8a3e1d2-4c5f-4a6b-8c9d-0e1f2a3b4c5d';
const accept: ChatCommand = { verb: 'accept', finding: { fingerprint: 'abcd1234' } };
const status: ChatCommand = { verb: 'status' };
const teamsUser = (id: string, groups?: string[]): ChatActor => ({
  chat: 'teams',
  id,
  ...(groups ? { inGroup: async (g: string) => groups.includes(g) } : {}),
});
const configError = (access: unknown) => {
  try {
    parseConfig({ chat: { access } }, 'driftwatch.config.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('chat.access per chat', () => {
  it('reads the pre-Teams keys as Slack lists, leaving Teams with nobody', () => {
    const access = ChatAccessConfig.parse({ admins: ['UADMIN1'], readerGroups: ['SREAD'] });

    expect(access).toEqual({
      slack: { admins: ['UADMIN1'], adminGroups: [], readers: [], readerGroups: ['SREAD'] },
      teams: { admins: [], adminGroups: [], readers: [], readerGroups: [], groupMembership: 'off' },
      adminOnly: [],
    });
  });

  it('reads chat.access.slack and chat.access.teams, Entra ids in lower case, adminOnly for both', () => {
    const access = ChatAccessConfig.parse({
      slack: { admins: ['UADMIN1'] },
      teams: {
        admins: [ALICE.toUpperCase()],
        adminGroups: [PLATFORM_LEADS],
        groupMembership: 'graph',
      },
      adminOnly: ['scan'],
    });

    expect(accessForChat(access, 'teams')).toEqual({
      admins: [ALICE],
      adminGroups: [PLATFORM_LEADS],
      readers: [],
      readerGroups: [],
      adminOnly: ['scan'],
    });
    expect(accessForChat(access, 'slack').admins).toEqual(['UADMIN1']);
  });

  it.each([
    [
      'a display name as a Teams admin',
      { teams: { admins: ['Alice Example'] } },
      'config key "chat.access.teams.admins[0]" in driftwatch.config.yaml: expected an Entra user object id (a GUID such as 6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10, from Entra ID → Users → Overview → Object ID), not a name',
    ],
    [
      'a Slack id in the Teams lists',
      { teams: { readerGroups: ['S0614TZR7'] } },
      'config key "chat.access.teams.readerGroups[0]" in driftwatch.config.yaml: expected an Entra group object id (a GUID such as 6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10, from Entra ID → Groups → Overview → Object ID), not a name',
    ],
    [
      'an Entra id in the Slack lists',
      { slack: { admins: [ALICE] } },
      'config key "chat.access.slack.admins[0]" in driftwatch.config.yaml: expected a Slack user id such as U024BE7LH',
    ],
    [
      'Entra groups without Microsoft Graph membership',
      { teams: { adminGroups: [PLATFORM_LEADS] } },
      'config key "chat.access.teams.adminGroups" in driftwatch.config.yaml: names Entra groups, whose membership is read from Microsoft Graph: set chat.access.teams.groupMembership: graph (the bot identity needs GroupMember.Read.All), or list the people in admins/readers',
    ],
    [
      'the old and the new spelling of the Slack lists together',
      { admins: ['UADMIN1'], slack: { readers: ['UREADER'] } },
      'config key "chat.access.admins" in driftwatch.config.yaml: is the pre-Teams spelling of chat.access.slack.admins; with chat.access.slack set, move it there',
    ],
  ])('refuses %s, naming the key and what would be valid', (_case, access, message) => {
    expect(configError(access)).toContain(message);
  });

  it("authorises a Teams user by Entra object id against Teams' lists only", async () => {
    const access = ChatAccessConfig.parse({
      admins: ['UADMIN1'],
      teams: { admins: [ALICE] },
    });

    await expect(authoriseCommand(accept, teamsUser(ALICE), access)).resolves.toBeUndefined();
    await expect(
      authoriseCommand(accept, { chat: 'teams', id: 'UADMIN1' }, access),
    ).rejects.toThrow(
      `You are not a driftwatch admin, so you cannot run accept. Admins: @${ALICE}.`,
    );
    await expect(authoriseCommand(accept, { chat: 'slack', id: ALICE }, access)).rejects.toThrow(
      'Admins: @UADMIN1.',
    );
  });

  it('counts Entra group membership only when the adapter can resolve it (Graph configured)', async () => {
    const access = ChatAccessConfig.parse({
      teams: { adminGroups: [PLATFORM_LEADS], groupMembership: 'graph' },
    });
    const bob = '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a';

    await expect(
      authoriseCommand(accept, teamsUser(bob, [PLATFORM_LEADS]), access),
    ).resolves.toBeUndefined();
    await expect(authoriseCommand(accept, teamsUser(bob), access)).rejects.toThrow(
      `Admins: @${PLATFORM_LEADS}.`,
    );
  });

  it("names Teams' keys when Teams has no admins", async () => {
    const access = ChatAccessConfig.parse({ admins: ['UADMIN1'] });

    await expect(authoriseCommand(accept, teamsUser(ALICE), access)).rejects.toThrow(
      'No admins are configured: set chat.access.teams.admins or chat.access.teams.adminGroups in driftwatch.config.yaml.',
    );
    await expect(authoriseCommand(status, teamsUser(ALICE), access)).resolves.toBeUndefined();
  });
});
