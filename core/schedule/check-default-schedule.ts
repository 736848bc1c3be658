import { chatSettings } from '../commands/chat-settings.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { ConfigError, isDriftwatchError } from '../errors.js';
import { parseSchedule } from './parse-schedule.js';

/**
 * Refuses a `chat.defaultSchedule` that does not parse or runs more often than the minimum, as a
 * config error naming the key, the file and what would be valid. Checked when the bot starts,
 * not in the config schema: the schedule parser needs croner, which the pipeline task's bundle
 * must not carry; and not at the first `subscribe`, where a bad default would fail in chat, much
 * later and blamed on whoever typed the command.
 *
 * @example
 * checkDefaultSchedule(config, 'driftwatch.config.yaml'); // throws ConfigError for 'every 1m'
 */
export function checkDefaultSchedule(config: DriftwatchConfig, source: string): void {
  const chat = chatSettings(config);
  try {
    parseSchedule(chat.defaultSchedule, chat.timezone);
  } catch (error) {
    if (!isDriftwatchError(error) || error.code !== 'usage.bad-schedule') throw error;
    throw new ConfigError(
      'config.invalid',
      `config key "chat.defaultSchedule" in ${source}: ${error.message}`,
      { cause: error, details: { source } },
    );
  }
}
