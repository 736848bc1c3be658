import { describe, expect, it } from 'vitest';
import { readTeamsEnv } from '../../../bot/teams/teams-env.js';

const APP = '7d1f0a2e-5b3c-4e8f-9a61-0c2b4d6e8f10';
const TENANT = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';

describe('readTeamsEnv', () => {
  it('is off when neither an app id nor TEAMS_ENABLED is set', () => {
    expect(readTeamsEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBeUndefined();
  });

  it('reads a SingleTenant bot under botbuilder’s names', () => {
    expect(
      readTeamsEnv({
        MicrosoftAppId: APP,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppPassword: 'secret-value',
      }),
    ).toEqual({
      MicrosoftAppId: APP,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'secret-value',
      TEAMS_BOT_NAME: 'driftwatch',
    });
  });

  it('mounts without an app id only when asked (authentication off)', () => {
    expect(readTeamsEnv({ TEAMS_ENABLED: 'true' })).toEqual({
      TEAMS_ENABLED: 'true',
      TEAMS_BOT_NAME: 'driftwatch',
    });
  });

  it.each([
    [
      'MultiTenant',
      { MicrosoftAppId: APP, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: TENANT },
      'MicrosoftAppType must be SingleTenant or UserAssignedMSI (MultiTenant bots are deprecated and can no longer be created)',
    ],
    [
      'a SingleTenant bot without its secret',
      { MicrosoftAppId: APP, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT },
      "MicrosoftAppPassword is not set: SingleTenant needs a client secret of the bot's app registration (Certificates & secrets in Entra ID)",
    ],
    [
      'a managed identity with a password',
      {
        MicrosoftAppId: APP,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppPassword: 'x',
      },
      'MicrosoftAppPassword is set: UserAssignedMSI authenticates with the managed identity; remove the password',
    ],
    [
      'an app id without a type or tenant',
      { MicrosoftAppId: APP },
      'MicrosoftAppType is not set: set it to SingleTenant or UserAssignedMSI\n  MicrosoftAppTenantId is not set',
    ],
    [
      'an app id that is not a GUID',
      { MicrosoftAppId: 'driftwatch-bot' },
      'MicrosoftAppId must be',
    ],
  ])('refuses %s with one line per problem', (_name, env, message) => {
    expect(() => readTeamsEnv(env)).toThrow(message);
  });
});
