import { App, type Logger as BoltLogger, HTTPReceiver } from '@slack/bolt';
import { ConfigError } from '../../core/errors.js';
import { correlationIdNow, withCorrelation } from '../bot-logger.js';
import { slackClientOptions } from './slack-client-options.js';

export interface SlackAppOptions {
  token: string;
  signingSecret: string;
  /** Socket Mode (for hosts behind a firewall); needs an app-level token (`xapp-…`). */
  socketMode?: { appToken: string };
  slackApiUrl?: string;
  logger: BoltLogger;
  /** Tests: finish the listener before the HTTP response, so replies are deterministic. */
  processBeforeResponse?: boolean;
}

/** The HTTP path Slack posts slash commands and button clicks to. */
export const EVENTS_PATH = '/slack/events';

/**
 * A Bolt app: an HTTP receiver for `/slack/events` with signature verification on (Bolt rejects
 * forged and more than five-minute-old requests with 401), or Socket Mode when asked. Refuses to
 * build without a signing secret. The receiver never listens itself: the bot's own server calls
 * its `requestListener` for `POST /slack/events` (see mount-slack.ts), so Bolt still parses and
 * verifies every request. In Socket Mode Bolt opens no HTTP server either (no custom routes).
 */
export function createSlackApp(options: SlackAppOptions): { app: App; receiver?: HTTPReceiver } {
  if (!options.signingSecret) {
    throw new ConfigError(
      'config.slack-signing-secret',
      'SLACK_SIGNING_SECRET is not set: the bot verifies every request with it',
    );
  }
  const clientOptions = slackClientOptions(
    options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {},
  );
  if (options.socketMode) {
    const app = new App({
      token: options.token,
      signingSecret: options.signingSecret,
      appToken: options.socketMode.appToken,
      socketMode: true,
      clientOptions,
      logger: options.logger,
    });
    correlateListeners(app);
    return { app };
  }
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: EVENTS_PATH,
    signatureVerification: true,
    processBeforeResponse: options.processBeforeResponse ?? false,
    logger: options.logger,
  });
  const app = new App({ token: options.token, receiver, clientOptions, logger: options.logger });
  correlateListeners(app);
  return { app, receiver };
}

/** Socket Mode events have no HTTP request: start their correlation id in the first middleware. */
function correlateListeners(app: App): void {
  app.use(({ next }) => (correlationIdNow() ? next() : withCorrelation(next)));
}
