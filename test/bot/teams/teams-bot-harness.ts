import { ClientSecretCredential } from '@azure/identity';
import { ManagedIdentityServiceClientCredentialsFactory } from 'botframework-connector';
import { readBotEnv } from '../../../bot/bot-env.js';
import type { BotHost } from '../../../bot/bot-host.js';
import { createBotLogger } from '../../../bot/bot-logger.js';
import { type RunningBot, type StartBotOptions, startBot } from '../../../bot/start-bot.js';
import { type MountedTeams, mountTeams } from '../../../bot/teams/mount-teams.js';
import { readTeamsEnv } from '../../../bot/teams/teams-env.js';
import { createHttpClient } from '../../../core/collect/create-http-client.js';
import type { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';

/** The Slack token the Slack simulator must be started with for {@link startTeamsBot}. */
export const SLACK_TOKEN = 'xoxb-sim-teams-0000000001';

export type TeamsSimulator = Awaited<ReturnType<typeof startTeamsSimulator>>;

/** The bot's outbound tokens from the simulator's Entra authority (as for a sovereign cloud). */
export function simCredentials(sim: TeamsSimulator) {
  const httpClient = createHttpClient({ caPem: sim.caPem });
  return new ManagedIdentityServiceClientCredentialsFactory(sim.botAppId, {
    // Typed as DefaultAzureCredential; the SDK only calls getToken(scope) on it.
    createAzureServiceTokenProvider: () =>
      new ClientSecretCredential(sim.tenantId, sim.botAppId, sim.botAppPassword, {
        authorityHost: sim.loginUrl,
        disableInstanceDiscovery: true,
        httpClient,
      }) as never,
  });
}

/** The Teams environment pointing at the simulator, every endpoint under botbuilder's names. */
export function simTeamsEnv(sim: TeamsSimulator, extra: Record<string, string> = {}) {
  const config = sim.botFrameworkAuthConfig();
  const env = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, String(value)]),
  );
  const teams = readTeamsEnv({ ...env, ...extra });
  if (!teams) throw new Error('Teams is not configured');
  return teams;
}

/**
 * Starts the whole bot (Slack and Teams on one host) with Teams pointed at the simulator. Sends
 * are unpaced and waits recorded instead of slept, so retry tests are instant.
 */
export async function startTeamsBot(
  sim: TeamsSimulator,
  options: Omit<StartBotOptions, 'env' | 'log' | 'adapters'> & {
    teamsEnv?: Record<string, string>;
    anonymous?: boolean;
    redisUrl?: string;
    onLog?: (line: string) => void;
    /** Slack's Web API (the Slack simulator): Bolt checks its token there at start. */
    slackApiUrl: string;
  },
): Promise<{ bot: RunningBot; teams: MountedTeams; waits: number[]; messagesUrl: string }> {
  const waits: number[] = [];
  let teams: MountedTeams | undefined;
  const env = options.anonymous
    ? readTeamsEnv({ TEAMS_ENABLED: 'true', ...options.teamsEnv })
    : simTeamsEnv(sim, options.teamsEnv);
  if (!env) throw new Error('Teams is not configured');
  const { teamsEnv: _t, anonymous, redisUrl, onLog, slackApiUrl, ...rest } = options;
  const bot = await startBot({
    ...rest,
    env: readBotEnv({
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'sim-signing-secret-teams-0123456',
      SLACK_API_URL: slackApiUrl,
      PORT: '0',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    }),
    log: onLog
      ? createBotLogger({ level: 'info', destination: { write: onLog } })
      : createBotLogger({
          level: process.env.TEAMS_TEST_LOG ? 'debug' : 'silent',
          destination: { write: (line: string) => process.stderr.write(line) },
        }),
    host: '127.0.0.1',
    adapters: [
      (host: BotHost) => {
        teams = mountTeams(host, {
          env,
          ...(anonymous ? {} : { credentialsFactory: simCredentials(sim) }),
          sender: {
            minIntervalMs: 0,
            sleep: async (ms) => {
              waits.push(ms);
            },
            random: () => 0.5,
          },
        });
        return teams;
      },
    ],
  });
  return {
    bot,
    teams: teams as unknown as MountedTeams,
    waits,
    messagesUrl: `${bot.url}/api/messages`,
  };
}
