import type { App } from '@slack/bolt';
import { describeError } from '../../core/redact/redact-secrets.js';
import type { BotEnv } from '../bot-env.js';
import type { BotHost, MountedAdapter } from '../bot-host.js';
import { boltLogger } from '../bot-logger.js';
import { createSlackApp, EVENTS_PATH } from './create-slack-app.js';
import { createSlackNotifier } from './create-slack-notifier.js';
import { showPlanInPlace } from './handle-remediation.js';
import { registerListeners } from './register-listeners.js';
import { createGroupMembership } from './slack-actor.js';
import type { SlackBotDeps } from './slack-bot-deps.js';
import { SlackPoster, type SlackPosterOptions } from './slack-poster.js';

/** The Slack adapter once mounted: Bolt's app, the paced poster, and the listeners' deps. */
export interface MountedSlack extends MountedAdapter {
  app: App;
  poster: SlackPoster;
  deps: SlackBotDeps;
}

/**
 * Mounts Slack on the host: Bolt's HTTP receiver answers `POST /slack/events` on the host's
 * server (Bolt parses the body and verifies the signature and timestamp itself, as when it owns
 * the server), or Socket Mode connects on `start()`. Listeners for `/drift` and the buttons run on
 * the host's store, scan, schedules and metrics.
 *
 * @example
 * const slack = mountSlack(host, { env });
 * await host.http.listen(env.PORT);
 * await slack.start?.();
 */
export function mountSlack(
  host: BotHost,
  options: {
    env: Pick<BotEnv, 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'socketMode'> & {
      SLACK_BOT_TOKEN: string;
      SLACK_SIGNING_SECRET: string;
    };
    /** Tests: finish listeners before the HTTP response. */
    processBeforeResponse?: boolean;
    poster?: Pick<SlackPosterOptions, 'minIntervalMs' | 'sleep' | 'now'>;
  },
): MountedSlack {
  const { env } = options;
  const { log, metrics } = host;
  const socketMode = env.socketMode && env.SLACK_APP_TOKEN ? env.SLACK_APP_TOKEN : undefined;
  const { app, receiver } = createSlackApp({
    token: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    ...(socketMode ? { socketMode: { appToken: socketMode } } : {}),
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    logger: boltLogger(log.child({ component: 'bolt' })),
    ...(options.processBeforeResponse ? { processBeforeResponse: true } : {}),
  });
  // Bolt's listener answers the request itself (401 on a bad signature, 200 with the ack).
  if (receiver) host.http.route('POST', EVENTS_PATH, receiver.requestListener);
  const poster = new SlackPoster({
    client: app.client,
    ...options.poster,
    onWait: (ms, reason) => metrics.throttleWait.inc({ reason }, ms / 1000),
    onCall: (method, outcome) => metrics.slackCalls.inc({ method, outcome }),
  });
  const deps: SlackBotDeps = {
    store: host.store,
    config: host.config,
    clock: host.clock,
    scan: host.scan,
    ...(host.devops ? { devops: host.devops } : {}),
    schedules: host.schedules,
    poster,
    membership: createGroupMembership(app.client),
    metrics,
    log,
    ...(host.newId ? { newId: host.newId } : {}),
    ...(host.scanProgress ? { scanProgress: host.scanProgress } : {}),
    ...(host.reportLink ? { reportLink: host.reportLink } : {}),
    ...(host.remediation ? { remediation: host.remediation } : {}),
  };
  registerListeners(app, deps);
  app.error(async (error) => {
    log.error({ error: describeError(error) }, 'unhandled error in a listener');
  });
  return {
    app,
    poster,
    deps,
    notifier: createSlackNotifier(poster),
    onReconciled: (plan) => showPlanInPlace(plan, deps),
    // Socket Mode only: over HTTP the host's server is the receiver, and Bolt's start() would
    // open a second server.
    async start() {
      if (socketMode) await app.start();
    },
    async close() {
      if (socketMode) await app.stop();
    },
  };
}
