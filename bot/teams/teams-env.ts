import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact/redact-secrets.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WHERE = {
  MicrosoftAppId:
    "the Microsoft App ID on your Azure Bot resource's Configuration page (for UserAssignedMSI, the managed identity's client id)",
  MicrosoftAppTenantId: 'the Directory (tenant) ID of the app registration or managed identity',
  MicrosoftAppPassword:
    "a client secret of the bot's app registration (Certificates & secrets in Entra ID)",
} as const;
const url = z.url().optional();

/**
 * The Teams bot's environment, under the names botbuilder itself reads (`MicrosoftAppId`,
 * `MicrosoftAppType`, `MicrosoftAppTenantId`, `MicrosoftAppPassword`) plus its endpoint settings
 * for sovereign clouds and the local simulator. `TEAMS_ENABLED=true` mounts the bot without an app
 * id for local development, with authentication off.
 */
export const TeamsEnv = z.object({
  MicrosoftAppId: z.string().regex(GUID, `must be ${WHERE.MicrosoftAppId}`).optional(),
  /** MultiTenant is refused: Azure no longer creates multi-tenant bots (deprecated July 2025). */
  MicrosoftAppType: z
    .enum(['SingleTenant', 'UserAssignedMSI'], {
      error:
        'must be SingleTenant or UserAssignedMSI (MultiTenant bots are deprecated and can no longer be created)',
    })
    .optional(),
  MicrosoftAppTenantId: z.string().regex(GUID, `must be ${WHERE.MicrosoftAppTenantId}`).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  TEAMS_ENABLED: z.enum(['true', 'false', '1', '0']).optional(),
  /** The bot's name as people @mention it; replies say `@<name> scan prod`. */
  TEAMS_BOT_NAME: z.string().min(1).max(30).default('driftwatch'),
  ChannelService: url,
  ToBotFromChannelOpenIdMetadataUrl: url,
  ToBotFromChannelTokenIssuer: z.string().min(1).optional(),
  ToBotFromEmulatorOpenIdMetadataUrl: url,
  CallerId: z.string().min(1).optional(),
  ToChannelFromBotLoginUrl: url,
  ToChannelFromBotOAuthScope: z.string().min(1).optional(),
  ValidateAuthority: z.enum(['true', 'false']).optional(),
  OAuthUrl: url,
});
export type TeamsEnv = z.infer<typeof TeamsEnv>;

/**
 * The Teams settings from the environment, or undefined when Teams is not configured (no
 * `MicrosoftAppId` and no `TEAMS_ENABLED`). Every problem is one line naming the variable and what
 * to set it to; the password is registered with the secret sanitiser.
 *
 * @example
 * const teams = readTeamsEnv(process.env); // undefined: Teams is off
 */
export function readTeamsEnv(raw: Record<string, string | undefined>): TeamsEnv | undefined {
  const set = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = TeamsEnv.safeParse(set);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  const env = result.success ? result.data : undefined;
  if (env?.MicrosoftAppId) {
    if (!env.MicrosoftAppType)
      problems.push('MicrosoftAppType is not set: set it to SingleTenant or UserAssignedMSI');
    if (!env.MicrosoftAppTenantId)
      problems.push(`MicrosoftAppTenantId is not set: set it to ${WHERE.MicrosoftAppTenantId}`);
    if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppPassword)
      problems.push(
        `MicrosoftAppPassword is not set: SingleTenant needs ${WHERE.MicrosoftAppPassword}`,
      );
    if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppPassword)
      problems.push(
        'MicrosoftAppPassword is set: UserAssignedMSI authenticates with the managed identity; remove the password',
      );
  } else if (env && (env.MicrosoftAppType || env.MicrosoftAppPassword)) {
    problems.push(`MicrosoftAppId is not set: set it to ${WHERE.MicrosoftAppId}`);
  }
  if (problems.length > 0) {
    throw new ConfigError(
      'config.bot-env',
      `the Teams bot cannot start:\n  ${problems.join('\n  ')}`,
    );
  }
  const data = env as TeamsEnv;
  const enabled = data.TEAMS_ENABLED === 'true' || data.TEAMS_ENABLED === '1';
  if (!data.MicrosoftAppId && !enabled) return undefined;
  registerSecret(data.MicrosoftAppPassword);
  return data;
}
