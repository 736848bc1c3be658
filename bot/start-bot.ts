import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { DevOpsInventorySummary, ScanPort } from '../core/commands/command-ports.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import { describeError } from '../core/redact/redact-secrets.js';
import type { Remediation } from '../core/remediate/remediation-service.js';
import { listSubscriptions } from '../core/schedule/chat-subscriptions.js';
import type { DriftStore } from '../core/store/drift-store.js';
import type { BotEnv } from './bot-env.js';
import { boltLogger } from './bot-logger.js';
import { type BotMetrics, createBotMetrics } from './bot-metrics.js';
import { healthRoutes } from './health-routes.js';
import { instrumentScan } from './instrument-scan.js';
import {
  type BullmqSchedulerOptions,
  createBullmqScheduler,
} from './schedule/create-bullmq-scheduler.js';
import { createCronScheduler } from './schedule/create-cron-scheduler.js';
import { createSummaryTick } from './schedule/create-summary-tick.js';
import type { SummaryScheduler } from './schedule/summary-scheduler.js';
import { createSlackApp } from './slack/create-slack-app.js';
import { showPlanInPlace } from './slack/handle-remediation.js';
import { registerListeners } from './slack/register-listeners.js';
import { createGroupMembership } from './slack/slack-actor.js';
import type { SlackBotDeps } from './slack/slack-bot-deps.js';
import { SlackPoster, type SlackPosterOptions } from './slack/slack-poster.js';

export interface StartBotOptions {
  env: BotEnv;
  config: DriftwatchConfig;
  store: DriftStore;
  clock: Clock;
  scan: ScanPort;
  devops?: () => Promise<DevOpsInventorySummary>;
  log: Logger;
  /** Listen address for the HTTP receiver; default all interfaces. */
  host?: string;
  /** Tests: finish listeners before the HTTP response. */
  processBeforeResponse?: boolean;
  poster?: Pick<SlackPosterOptions, 'minIntervalMs' | 'sleep' | 'now'>;
  scheduler?: Pick<BullmqSchedulerOptions, 'prefix' | 'repeatFor'>;
  newId?: () => string;
  /**
   * The remediation workflow (`openRemediation`). The bot reconciles it once at start, so an
   * apply a stopped replica left `applying` is finished (or marked failed) by whichever starts.
   */
  remediation?: Pick<
    Remediation,
    'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list' | 'reconcile'
  >;
}

/** The identity the bot acts as when it reconciles interrupted applies. */
export const BOT_ACTOR = { id: 'slack:driftwatch' };

export interface RunningBot {
  app: App;
  /** `http://host:port` of the HTTP server (also in Socket Mode, for health and metrics). */
  url: string;
  metrics: BotMetrics;
  scheduler: SummaryScheduler;
  /** Runs one subscription's tick now, as the scheduler would (operations, tests). */
  runTick(subscriptionId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the Slack bot: Bolt with `/slack/events`, `/healthz`, `/readyz` and `/metrics` on one
 * server; the paced poster; the summary scheduler (BullMQ across replicas with REDIS_URL, croner
 * in-process otherwise), synced with the stored subscriptions.
 *
 * @example
 * const bot = await startBot({ env: readBotEnv(process.env), config, store, clock, scan, log });
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { env, store, log } = options;
  const metrics = createBotMetrics();
  const { app } = createSlackApp({
    token: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    ...(env.socketMode && env.SLACK_APP_TOKEN
      ? { socketMode: { appToken: env.SLACK_APP_TOKEN, port: env.PORT } }
      : {}),
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    customRoutes: healthRoutes({ metrics, ready: () => storeAnswers(store) }),
    logger: boltLogger(log.child({ component: 'bolt' })),
    ...(options.processBeforeResponse ? { processBeforeResponse: true } : {}),
  });
  const poster = new SlackPoster({
    client: app.client,
    ...options.poster,
    onWait: (ms, reason) => metrics.throttleWait.inc({ reason }, ms / 1000),
    onCall: (method, outcome) => metrics.slackCalls.inc({ method, outcome }),
  });
  const scan = instrumentScan(options.scan, metrics);

  let scheduler: SummaryScheduler | undefined;
  const onTick = createSummaryTick({
    store,
    config: options.config,
    clock: options.clock,
    scan,
    poster,
    metrics,
    log,
    scheduler: () => scheduler as SummaryScheduler,
    ...(options.newId ? { newId: options.newId } : {}),
  });
  const schedules: SummaryScheduler = env.REDIS_URL
    ? await createBullmqScheduler({ redisUrl: env.REDIS_URL, onTick, ...options.scheduler })
    : createCronScheduler(onTick);
  scheduler = schedules;

  const slackDeps: SlackBotDeps = {
    store,
    config: options.config,
    clock: options.clock,
    scan,
    ...(options.devops ? { devops: options.devops } : {}),
    schedules,
    poster,
    membership: createGroupMembership(app.client),
    metrics,
    log,
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.remediation ? { remediation: options.remediation } : {}),
  };
  registerListeners(app, slackDeps);
  app.error(async (error) => {
    log.error({ error: describeError(error) }, 'unhandled error in a listener');
  });
  await schedules.sync(await listSubscriptions(store));

  const server = await app.start({ port: env.PORT, host: options.host ?? '0.0.0.0' });
  const address = env.socketMode
    ? { port: env.PORT }
    : (server as { address(): AddressInfo }).address();
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  // After the server is up, so health checks answer while a long operation is followed to its end.
  if (options.remediation) await reconcileAtStart(options.remediation, slackDeps);
  log.info(
    { url, socketMode: env.socketMode, scheduler: env.REDIS_URL ? 'bullmq' : 'croner' },
    'driftwatch bot started',
  );
  return {
    app,
    url,
    metrics,
    scheduler: schedules,
    runTick: (subscriptionId) =>
      onTick(subscriptionId, `manual@${options.clock.now().toISOString()}`),
    async close() {
      await schedules.close();
      await app.stop();
    },
  };
}

/**
 * Finishes applies a stopped process left behind (the core never sends a write twice). A failure
 * here is logged, not fatal: the bot still answers, and the next start or CLI call reconciles.
 */
async function reconcileAtStart(
  remediation: Pick<Remediation, 'reconcile'>,
  deps: SlackBotDeps,
): Promise<void> {
  try {
    const done = await remediation.reconcile(BOT_ACTOR);
    for (const plan of done) {
      deps.log.info(
        { planId: plan.id, state: plan.state },
        'reconciled an interrupted remediation',
      );
      await showPlanInPlace(plan, deps);
    }
  } catch (error) {
    deps.log.error({ error: describeError(error) }, 'reconciling remediations at start failed');
  }
}

/** Ready means the store answers a read. */
async function storeAnswers(store: DriftStore): Promise<boolean> {
  await store.listBaselines();
  return true;
}
