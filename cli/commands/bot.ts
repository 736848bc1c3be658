import { basename } from 'node:path';
import type { BotHost } from '../../bot/bot-host.js';
import type { startConfiguredShardWorker } from '../../core/scan/queue/create-worker-deps.js';
import { configOption } from '../shared-options.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch bot`: runs the chat bot until interrupted (Ctrl-C or SIGTERM): Slack and/or Teams
 * on one server. Configuration comes from the environment (Slack: SLACK_BOT_TOKEN,
 * SLACK_SIGNING_SECRET, SLACK_SOCKET_MODE + SLACK_APP_TOKEN; Teams: MicrosoftAppId,
 * MicrosoftAppType, MicrosoftAppTenantId, MicrosoftAppPassword, or TEAMS_ENABLED for local
 * development; PORT, REDIS_URL) and driftwatch.config.yaml (`chat:`), validated before anything
 * starts.
 */
export const registerBotCommand: RegisterCommand = (program, ctx) => {
  program
    .command('bot')
    .description(
      'run the chat bot (Slack and/or Teams): commands, buttons and scheduled drift summaries',
    )
    .option(
      '--port <port>',
      'HTTP port for /slack/events, /healthz, /readyz and /metrics (default: PORT or 3000)',
    )
    .option(
      '--no-shard-worker',
      'with REDIS_URL, do not read shards of large scans in this replica',
    )
    .addOption(configOption())
    .action(async (flags: { port?: string; config?: string; shardWorker?: boolean }) => {
      // Loaded on demand: Bolt, BullMQ and the Azure SDKs are large and only the bot needs them.
      const { readBotEnv } = await import('../../bot/bot-env.js');
      const { createBotLogger } = await import('../../bot/bot-logger.js');
      const { createDevOpsPort, createEntraMembershipPort, createScanPort } = await import(
        '../../bot/create-ports.js'
      );
      const { startBot } = await import('../../bot/start-bot.js');
      const { readTeamsEnv } = await import('../../bot/teams/teams-env.js');
      const teamsEnv = readTeamsEnv(ctx.env);
      const env = readBotEnv(
        { ...ctx.env, ...(flags.port ? { PORT: flags.port } : {}) },
        { otherChat: teamsEnv !== undefined },
      );
      // botbuilder is loaded only when Teams is configured (MicrosoftAppId or TEAMS_ENABLED).
      const mountTeams = teamsEnv
        ? (await import('../../bot/teams/mount-teams.js')).mountTeams
        : undefined;
      const loaded = ctx.config(flags.config);
      const { checkDefaultSchedule } = await import(
        '../../core/schedule/check-default-schedule.js'
      );
      checkDefaultSchedule(loaded.config, loaded.file ? basename(loaded.file) : 'configuration');
      const store = await ctx.store(loaded);
      const log = createBotLogger({ level: env.LOG_LEVEL });
      const ports = { config: loaded.config, env: ctx.env, cwd: ctx.cwd, store, clock: ctx.clock };
      const devops = createDevOpsPort(ports);
      const entraMembership = createEntraMembershipPort(ports);
      const { openRemediation } = await import('../../core/remediate/open-remediation.js');
      const remediation = loaded.config.remediation
        ? openRemediation({ ...ports, env: ctx.env })
        : undefined;
      const bot = await startBot({
        env,
        config: loaded.config,
        store,
        clock: ctx.clock,
        scan: createScanPort(ports),
        ...(devops ? { devops } : {}),
        ...(remediation ? { remediation } : {}),
        ...(entraMembership ? { entraMembership } : {}),
        ...(env.REDIS_URL && flags.shardWorker !== false
          ? { shardWorker: await shardWorkerFor(ports, env.REDIS_URL) }
          : {}),
        ...(teamsEnv && mountTeams
          ? { adapters: [(host: BotHost) => mountTeams(host, { env: teamsEnv })] }
          : {}),
        log,
      }).catch(async (error: unknown) => {
        await remediation?.close();
        await store.close();
        throw error;
      });
      const slackWhat = !env.slack
        ? 'health and metrics'
        : env.socketMode
          ? 'Socket Mode; health and metrics'
          : 'Slack events at /slack/events';
      const what = teamsEnv
        ? `${env.slack ? `${slackWhat}; ` : ''}Teams activities at /api/messages`
        : slackWhat;
      ctx.stderr.write(`driftwatch bot: ${what} on ${bot.url}\n`);
      await new Promise<void>((done) => {
        if (ctx.signal.aborted) return done();
        ctx.signal.addEventListener('abort', () => done(), { once: true });
        process.once('SIGTERM', () => done());
      });
      log.info('driftwatch bot stopping');
      await bot.close();
      await remediation?.close();
      await store.close();
    });
};

/** This replica's worker for sharded scans (driftwatch worker), started with the bot. */
async function shardWorkerFor(
  ports: Omit<Parameters<typeof startConfiguredShardWorker>[0], 'redisUrl'>,
  redisUrl: string,
) {
  const { startConfiguredShardWorker } = await import(
    '../../core/scan/queue/create-worker-deps.js'
  );
  return () => startConfiguredShardWorker({ ...ports, redisUrl });
}
