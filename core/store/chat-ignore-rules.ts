import type { IgnoreRuleConfig } from '../config/sections/engine-config.js';
import type { DriftStore } from './drift-store.js';

/** Scope key for rules that apply everywhere (an `ignore <path>` without `--scope`). */
export const ALL_SCOPES = '*';
/** The key-value area the rules live in (one list per scope key). */
export const CHAT_IGNORE_AREA = 'ignore-rules';
const NAMESPACE = CHAT_IGNORE_AREA;
/** Expired rules are kept this long (so `show` can say why something was ignored), then dropped. */
const KEEP_EXPIRED_MS = 30 * 86_400_000;

type StoredRule = IgnoreRuleConfig & { createdAt: string };

/**
 * Stores an ignore rule created from chat (owner, reason and expiry are required there).
 *
 * @example
 * await addChatIgnoreRule(store, 'prod', { id, owner: 'U024BE7LH', reason: 'migration', expires });
 */
export async function addChatIgnoreRule(
  store: DriftStore,
  scope: string,
  rule: IgnoreRuleConfig & { owner: string; expires: string },
  now: Date,
): Promise<void> {
  const added: StoredRule = { ...rule, createdAt: now.toISOString() };
  // One atomic update: rules added from two replicas at once are both kept.
  await store
    .keyValue<StoredRule[]>(NAMESPACE)
    .update(scope.toLowerCase(), (current) => [
      ...(current ?? []).filter(
        (r) => !r.expires || Date.parse(r.expires) + KEEP_EXPIRED_MS > now.getTime(),
      ),
      added,
    ]);
}

/**
 * Chat-created ignore rules for `scope` (plus those for all scopes), shaped like the config's
 * `ignore` entries so the scan path can merge them: `buildEngineRules({ config: { ...config,
 * ignore: [...config.ignore, ...(await listChatIgnoreRules(store, scope))] } })`. Expired rules are
 * included; the engine skips them by `expires`.
 */
export async function listChatIgnoreRules(
  store: DriftStore,
  scope: string,
): Promise<IgnoreRuleConfig[]> {
  const kv = store.keyValue<StoredRule[]>(NAMESPACE);
  const lists = await Promise.all([kv.get(scope.toLowerCase()), kv.get(ALL_SCOPES)]);
  return lists.flatMap((list) => list ?? []).map(({ createdAt: _createdAt, ...rule }) => rule);
}
