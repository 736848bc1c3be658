import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { type RunningBot, type StartBotOptions, startBot } from '../../bot/start-bot.js';
import { fixedClock } from '../../core/clock.js';
import { fakeConfig, NOW } from '../commands/fake-drift.js';

/** What the Slack bot tests share; anything given in `options` replaces the default. */
export interface SlackBotOptions extends Omit<StartBotOptions, 'env' | 'config' | 'clock' | 'log'> {
  /** The Slack simulator the bot's Web API client is pointed at. */
  sim: { apiUrl: string };
  token: string;
  secret: string;
  /** Extra environment entries (Socket Mode, link secret …) on top of the Slack ones. */
  env?: Record<string, string>;
  config?: StartBotOptions['config'];
  clock?: StartBotOptions['clock'];
  log?: StartBotOptions['log'];
}

/**
 * The bot host on a free local port with Slack pointed at the simulator, the fake config, the
 * fixed clock, a silent log and no pause between posts (pass `poster: undefined` for the default).
 */
export function startSlackBot({
  sim,
  token,
  secret,
  env = {},
  ...options
}: SlackBotOptions): Promise<RunningBot> {
  return startBot({
    config: fakeConfig(),
    clock: fixedClock(NOW),
    log: createBotLogger({ level: 'silent' }),
    host: '127.0.0.1',
    poster: { minIntervalMs: 0 },
    ...options,
    env: readBotEnv({
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: sim.apiUrl,
      PORT: '0',
      ...env,
    }),
  });
}
