import { accessForChat } from '../../core/commands/authorise-command.js';
import { chatSettings } from '../../core/commands/chat-settings.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import type { ChatAccessConfig, ChatAccessList } from '../../core/config/sections/chat-config.js';

/**
 * Who may do what in Teams: `chat.access.teams` (Entra object ids and group ids), the whole
 * access config for `authoriseCommand`, and whether read-only verbs are open to everyone in the
 * conversation (no Teams readers configured).
 */
export function teamsAccess(config: DriftwatchConfig): {
  config: ChatAccessConfig;
  lists: ChatAccessList;
  open: boolean;
} {
  const access = chatSettings(config).access;
  const lists = accessForChat(access, 'teams');
  return {
    config: access,
    lists,
    open: lists.readers.length === 0 && lists.readerGroups.length === 0,
  };
}
