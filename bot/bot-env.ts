import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/redact/redact-secrets.js';

const WHERE = {
  SLACK_BOT_TOKEN: "the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
  SLACK_SIGNING_SECRET:
    "the Signing Secret under App Credentials in your app's settings (api.slack.com/apps)",
  SLACK_APP_TOKEN:
    "an app-level token (xapp-…) with connections:write, under App-Level Tokens in your app's settings",
} as const;

/**
 * The bot's environment: Slack credentials, port, Socket Mode, Redis. The Slack pair is optional
 * here; `readBotEnv` requires it unless another chat runs (a Teams-only bot).
 */
export const BotEnv = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, `must be ${WHERE.SLACK_BOT_TOKEN}`)
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .min(16, `looks too short: set it to ${WHERE.SLACK_SIGNING_SECRET}`)
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, `must be ${WHERE.SLACK_APP_TOKEN}`)
    .optional(),
  SLACK_SOCKET_MODE: z.enum(['true', 'false', '1', '0']).optional(),
  /** Another Web API base (Slack GovSlack, or the local simulator). */
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Signs report links (`/reports/<id>?token=…`); without it no report page is served. */
  DRIFTWATCH_LINK_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters: generate one with openssl rand -base64 48')
    .optional(),
});
export type BotEnv = z.infer<typeof BotEnv> & {
  socketMode: boolean;
  /** Both Slack credentials are set: the Slack adapter mounts. */
  slack: boolean;
};

/**
 * Validates the bot's environment once at start; every problem is one line naming the variable
 * and what to set it to. Registers the secrets with the sanitiser.
 *
 * Slack's token and signing secret are required unless `otherChat` says another chat adapter
 * runs (Teams); even then, one without the other is refused.
 *
 * @example
 * const env = readBotEnv(process.env);
 */
export function readBotEnv(
  raw: Record<string, string | undefined>,
  options: { otherChat?: boolean } = {},
): BotEnv {
  const blanks = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = BotEnv.safeParse(blanks);
  const lines = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  const anySlack =
    blanks.SLACK_BOT_TOKEN !== undefined || blanks.SLACK_SIGNING_SECRET !== undefined;
  if (!options.otherChat || anySlack) {
    for (const key of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const) {
      if (blanks[key] === undefined) lines.push(`${key} is not set: set it to ${WHERE[key]}`);
    }
  }
  if (!result.success || lines.length > 0) {
    throw new ConfigError('config.bot-env', `the bot cannot start:\n  ${lines.join('\n  ')}`);
  }
  const env = result.data;
  const socketMode = env.SLACK_SOCKET_MODE === 'true' || env.SLACK_SOCKET_MODE === '1';
  if (socketMode && !env.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'config.bot-env',
      `the bot cannot start:\n  SLACK_APP_TOKEN is not set: Socket Mode needs ${WHERE.SLACK_APP_TOKEN}`,
    );
  }
  registerSecret(env.SLACK_BOT_TOKEN);
  registerSecret(env.SLACK_SIGNING_SECRET);
  registerSecret(env.SLACK_APP_TOKEN);
  registerSecret(env.DRIFTWATCH_LINK_SECRET);
  return { ...env, socketMode, slack: Boolean(env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) };
}
