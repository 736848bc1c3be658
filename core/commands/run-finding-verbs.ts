import { ALL_SCOPES, addChatIgnoreRule } from '../store/chat-ignore-rules.js';
import { type ChatInline, type ChatMessage, mentionUser, plainText } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import type { CommandDeps } from './command-ports.js';
import { shortFindingId } from './describe-finding.js';
import { findFinding } from './find-finding.js';
import { formatChatTime } from './format-chat-time.js';
import type { ChatCommand } from './parse-command.js';
import { resolveScope } from './resolve-scope.js';

type Of<V extends ChatCommand['verb']> = Extract<ChatCommand, { verb: V }>;

/** Records a finding as expected; later reports count it as accepted instead of listing it. */
export async function runAcceptVerb(
  command: Of<'accept'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const { finding, scope } = await findFinding(deps.store, command.finding, deps.invocation);
  await deps.store.accept({
    scope,
    fingerprint: finding.fingerprint,
    resourceId: finding.resourceId,
    by: deps.actor.name ?? deps.actor.id,
    at: deps.clock.now().toISOString(),
    ...(command.reason ? { reason: command.reason } : {}),
  });
  const line: ChatInline[] = [
    `Accepted ${finding.resourceName} (${finding.severity}, id ${shortFindingId(finding)}) in ${scope} · by `,
    mentionUser(deps.actor.id),
    command.reason ? ` · "${command.reason}"` : '',
  ];
  return {
    visibility: 'channel',
    text: plainText(line),
    tone: 'ok',
    blocks: [{ kind: 'rich', parts: line, tone: 'ok' }],
  };
}

/**
 * Creates ignore rules with owner, reason and expiry: for a finding, on its resource's changed
 * paths (the whole resource only when it was added, removed or unreadable); or for a path glob.
 */
export async function runIgnoreVerb(
  command: Of<'ignore'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + command.durationMs);
  const owner = deps.actor.name ?? deps.actor.id;
  const reason = command.reason ?? `ignored from chat by ${owner}`;
  let scope: string;
  let what: string;
  if (command.target.kind === 'finding') {
    const { finding, scope: found } = await findFinding(
      deps.store,
      command.target.finding,
      deps.invocation,
    );
    scope = found;
    const name = `${finding.resourceName} (id ${shortFindingId(finding)})`;
    // A modified resource: only the properties this finding is about, so a later change to
    // anything else on the resource is still reported (rule paths are globs; a `*` or `?` inside
    // a property name can only widen the match to a sibling). An added, removed or unreadable
    // resource is the finding itself: the rule covers the resource.
    const paths =
      finding.change === 'modified' ? [...new Set(finding.changes.map((c) => c.path))] : [];
    what =
      paths.length === 0
        ? name
        : paths.length === 1
          ? `changes to ${paths[0]} of ${name}`
          : `changes to ${paths.length} properties of ${name}`;
    const rule = { id: finding.resourceId, owner, reason, expires: expires.toISOString() };
    for (const path of paths.length > 0 ? paths : [undefined]) {
      await addChatIgnoreRule(deps.store, scope, path ? { ...rule, path } : rule, now);
    }
  } else {
    scope = command.scope ? await resolveScope(command.scope, deps.config, deps.store) : ALL_SCOPES;
    what = `changes to ${command.target.path}`;
    await addChatIgnoreRule(
      deps.store,
      scope,
      { path: command.target.path, owner, reason, expires: expires.toISOString() },
      now,
    );
  }
  const timezone = chatSettings(deps.config).timezone;
  const until = formatChatTime(expires, { timezone, now, zoneName: true });
  const where = scope === ALL_SCOPES ? 'every scope' : scope;
  const line: ChatInline[] = [
    `Ignoring ${what} in ${where} until ${until} · by `,
    mentionUser(deps.actor.id),
    ` · "${reason}"`,
  ];
  return {
    visibility: 'channel',
    text: plainText(line),
    tone: 'ok',
    blocks: [{ kind: 'rich', parts: line, tone: 'ok' }],
  };
}
