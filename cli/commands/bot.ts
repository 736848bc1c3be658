import type { startConfiguredShardWorker } from '../../core/scan/queue/create-worker-deps.js';
import { configOption } from '../shared-options.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch bot`: runs the Slack app until interrupted (Ctrl-C or SIGTERM). Configuration comes
 * from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, PORT, SLACK_SOCKET_MODE +
 * SLACK_APP_TOKEN, REDIS_URL) and driftwatch.config.yaml (`chat:`), validated before anything
 * starts.
 */
export const registerBotCommand: RegisterCommand = (program, ctx) => {
  program
    .command('bot')
    .description('run the Slack bot: /drift commands, buttons and scheduled drift summaries')
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
      const env = readBotEnv({ ...ctx.env, ...(flags.port ? { PORT: flags.port } : {}) });
      const loaded = ctx.config(flags.config);
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
        log,
      }).catch(async (error: unknown) => {
        await remediation?.close();
        await store.close();
        throw error;
      });
      ctx.stderr.write(
        `driftwatch bot: ${!env.slack ? 'health and metrics' : env.socketMode ? 'Socket Mode; health and metrics' : 'Slack events at /slack/events'} on ${bot.url}\n`,
      );
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
