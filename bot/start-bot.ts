import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { DevOpsInventorySummary, ScanPort } from '../core/commands/command-ports.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import { ConfigError } from '../core/errors.js';
import type { Notifiers } from '../core/notify/notifier.js';
import { describeError } from '../core/redact/redact-secrets.js';
import type { Remediation } from '../core/remediate/remediation-service.js';
import { listSubscriptions } from '../core/schedule/chat-subscriptions.js';
import type { DriftStore } from '../core/store/drift-store.js';
import { createBotReportLinker, mountApi } from './api/mount-api.js';
import { renderStoredReportPage } from './api/render-stored-report-page.js';
import type { BotEnv } from './bot-env.js';
import type { BotHost, MountedAdapter } from './bot-host.js';
import { type BotMetrics, createBotMetrics } from './bot-metrics.js';
import { registerHealthRoutes } from './health-routes.js';
import { type BotServer, createBotServer } from './http/create-bot-server.js';
import { instrumentScan } from './instrument-scan.js';
import {
  type BullmqSchedulerOptions,
  createBullmqScheduler,
} from './schedule/create-bullmq-scheduler.js';
import { createCronScheduler } from './schedule/create-cron-scheduler.js';
import { createSummaryTick } from './schedule/create-summary-tick.js';
import type { SummaryScheduler } from './schedule/summary-scheduler.js';
import { mountSlack } from './slack/mount-slack.js';
import type { SlackPosterOptions } from './slack/slack-poster.js';
import { storeReadiness } from './store-readiness.js';

export interface StartBotOptions {
  env: BotEnv;
  config: DriftwatchConfig;
  store: DriftStore;
  clock: Clock;
  scan: ScanPort;
  devops?: () => Promise<DevOpsInventorySummary>;
  log: Logger;
  /** Listen address for the HTTP server; default all interfaces. */
  host?: string;
  /** Tests: finish listeners before the HTTP response. */
  processBeforeResponse?: boolean;
  poster?: Pick<SlackPosterOptions, 'minIntervalMs' | 'sleep' | 'now'>;
  scheduler?: Pick<BullmqSchedulerOptions, 'prefix' | 'repeatFor'>;
  newId?: () => string;
  /** How often a `scan` asked in chat shows its progress there (tests: 0). */
  scanProgress?: BotHost['scanProgress'];
  /**
   * The remediation workflow (`openRemediation`). The bot reconciles it once at start, so an
   * apply a stopped replica left `applying` is finished (or marked failed) by whichever starts.
   */
  remediation?: BotHost['remediation'];
  /** Entra group membership for Teams (see `createEntraMembershipPort`). */
  entraMembership?: BotHost['entraMembership'];
  /**
   * Further chat adapters (Teams), mounted after Slack on the same host: each adds its routes to
   * `host.http` and its readiness to `host.readiness`.
   */
  adapters?: readonly ((host: BotHost) => MountedAdapter | Promise<MountedAdapter>)[];
  /** Starts this replica's worker for sharded scans (`driftwatch bot` passes one with REDIS_URL). */
  shardWorker?: () => Promise<{ close(): Promise<void> }>;
}

/** The identity the bot acts as when it reconciles interrupted applies. */
export const BOT_ACTOR = { id: 'slack:driftwatch' };

export interface RunningBot {
  /** The Slack adapter's Bolt app, when Slack runs. */
  app?: App;
  /** The host's HTTP server (routes can still be added after start). */
  http: BotServer;
  /** `http://host:port` of the HTTP server (also in Socket Mode, for health and metrics). */
  url: string;
  metrics: BotMetrics;
  scheduler: SummaryScheduler;
  /** Runs one subscription's tick now, as the scheduler would (operations, tests). */
  runTick(subscriptionId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the bot host: one `node:http` server with `/healthz`, `/readyz` and `/metrics`; the
 * summary scheduler (BullMQ across replicas with REDIS_URL, croner in-process otherwise); then
 * the chat adapters mounted on it (Slack at `/slack/events` or over Socket Mode, then
 * `options.adapters`); then the schedule synced with the stored subscriptions, the server
 * listening, and each adapter started.
 *
 * @example
 * const bot = await startBot({ env: readBotEnv(process.env), config, store, clock, scan, log });
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { env, store, log } = options;
  const metrics = createBotMetrics();
  const http = createBotServer({ log });
  const readiness = registerHealthRoutes(http, {
    metrics,
    checks: { store: storeReadiness(store) },
  });
  const scan = instrumentScan(options.scan, metrics);
  const reportLink = createBotReportLinker(
    options.config,
    env.DRIFTWATCH_LINK_SECRET,
    options.clock,
  );

  // The tick needs the scheduler (to drop a gone subscription) and each chat's notifier; both
  // exist before the first tick, which cannot fire before `sync` below.
  let scheduler: SummaryScheduler | undefined;
  const notifiers: Notifiers = {};
  const onTick = createSummaryTick({
    store,
    config: options.config,
    clock: options.clock,
    scan,
    notifiers,
    metrics,
    log,
    scheduler: () => scheduler as SummaryScheduler,
    ...(options.newId ? { newId: options.newId } : {}),
    ...(reportLink ? { reportLink } : {}),
  });
  const schedules: SummaryScheduler = env.REDIS_URL
    ? await createBullmqScheduler({ redisUrl: env.REDIS_URL, onTick, ...options.scheduler })
    : createCronScheduler(onTick);
  scheduler = schedules;
  const shardWorker = await options.shardWorker?.();

  const host: BotHost = {
    http,
    readiness,
    store,
    config: options.config,
    clock: options.clock,
    scan,
    ...(options.devops ? { devops: options.devops } : {}),
    schedules,
    metrics,
    log,
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.scanProgress ? { scanProgress: options.scanProgress } : {}),
    ...(reportLink ? { reportLink } : {}),
    ...(options.remediation ? { remediation: options.remediation } : {}),
    ...(options.entraMembership ? { entraMembership: options.entraMembership } : {}),
  };
  // Slack mounts when its credentials are set (readBotEnv requires them unless Teams runs).
  const slack =
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? mountSlack(host, {
          env: {
            ...env,
            SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN,
            SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET,
          },
          ...(options.processBeforeResponse ? { processBeforeResponse: true } : {}),
          ...(options.poster ? { poster: options.poster } : {}),
        })
      : undefined;
  // The results API at /api/v1/ and, with a link secret, the report pages at /reports/.
  const api = mountApi(host, {
    render: renderStoredReportPage(store, options.clock),
    ...(env.DRIFTWATCH_LINK_SECRET ? { linkSecret: env.DRIFTWATCH_LINK_SECRET } : {}),
  });
  const adapters: MountedAdapter[] = [...(slack ? [slack] : []), api];
  // Every step runs even when an earlier one fails (the first failure is rethrown).
  const shutdown = () =>
    runAll([
      () => shardWorker?.close(),
      () => schedules.close(),
      ...adapters.map((adapter) => () => adapter.close?.()),
      () => http.close(),
    ]);
  let port: number;
  try {
    for (const mount of options.adapters ?? []) adapters.push(await mount(host));
    for (const { notifier } of adapters) {
      if (!notifier) continue;
      if (notifiers[notifier.chat]) {
        throw new ConfigError('config.chat-twice', `two adapters post to ${notifier.chat}`);
      }
      notifiers[notifier.chat] = notifier;
    }
    await schedules.sync(await listSubscriptions(store));
    port = await http.listen(env.PORT, options.host ?? '0.0.0.0');
    for (const adapter of adapters) await adapter.start?.();
  } catch (error) {
    // A failed start (port taken, an adapter refusing its config) leaves no Redis connection,
    // worker or socket behind to keep the process alive.
    await shutdown().catch(() => undefined);
    throw error;
  }
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  // After the server is up, so health checks answer while a long operation is followed to its end.
  if (options.remediation) await reconcileAtStart(options.remediation, log, adapters);
  log.info(
    { url, socketMode: env.socketMode, scheduler: env.REDIS_URL ? 'bullmq' : 'croner' },
    'driftwatch bot started',
  );
  return {
    ...(slack ? { app: slack.app } : {}),
    http,
    url,
    metrics,
    scheduler: schedules,
    runTick: (subscriptionId) =>
      onTick(subscriptionId, `manual@${options.clock.now().toISOString()}`),
    close: shutdown,
  };
}

/**
 * Finishes applies a stopped process left behind (the core never sends a write twice). A failure
 * here is logged, not fatal: the bot still answers, and the next start or CLI call reconciles.
 */
async function reconcileAtStart(
  remediation: Pick<Remediation, 'reconcile'>,
  log: Logger,
  adapters: readonly MountedAdapter[],
): Promise<void> {
  try {
    const done = await remediation.reconcile(BOT_ACTOR);
    for (const plan of done) {
      log.info({ planId: plan.id, state: plan.state }, 'reconciled an interrupted remediation');
      for (const adapter of adapters) await adapter.onReconciled?.(plan);
    }
  } catch (error) {
    log.error({ error: describeError(error) }, 'reconciling remediations at start failed');
  }
}

/** Runs each step in order, whatever the others did; then throws the first failure, if any. */
async function runAll(steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await Promise.resolve(step()).catch((error) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}
