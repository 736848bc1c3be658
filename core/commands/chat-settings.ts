import type { DriftwatchConfig } from '../config/config-schema.js';
import { ChatConfig } from '../config/sections/chat-config.js';

const DEFAULTS = ChatConfig.parse({});

/** The `chat` section with its defaults filled in (the section itself is optional). */
export function chatSettings(config: DriftwatchConfig): ChatConfig {
  return config.chat ?? DEFAULTS;
}
