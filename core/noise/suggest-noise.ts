import { typeFromId } from '../engine/resource-identity.js';
import type { Finding } from '../model/report.js';
import { listChatIgnoreRules } from '../store/chat-ignore-rules.js';
import type { DriftStore } from '../store/drift-store.js';

/** One proposal: a property people keep silencing across many resources of one type. */
export interface NoiseSuggestion {
  resourceType: string;
  /** The change path with array element selectors generalised to `[*]`. */
  path: string;
  /** Distinct resources on which it was accepted or ignored. */
  resources: number;
  /** Acceptances and ignore rules that named it. */
  occurrences: number;
  scopes: string[];
  /** A `.driftignore` line that would silence it for the whole type. */
  driftignore: string;
}

export interface SuggestNoiseOptions {
  /** Only this scope's acceptances and rules (default: every scope with stored reports). */
  scope?: string;
  /** Fewest distinct resources before a path is proposed (default 3). */
  minResources?: number;
  /** How many stored reports to read per scope to resolve accepted fingerprints (default 100). */
  reportsPerScope?: number;
}

/**
 * Learns from accepted noise: reads the acceptances and chat ignore rules in the store, resolves
 * each accepted fingerprint to its finding's changed paths through the stored reports, and
 * proposes a `.driftignore` line for every (resource type, path) that people silenced on at least
 * `minResources` distinct resources. It only proposes: nothing is written or applied.
 *
 * @example
 * for (const s of await suggestNoise(store, { minResources: 5 })) console.log(s.driftignore);
 */
export async function suggestNoise(
  store: DriftStore,
  options: SuggestNoiseOptions = {},
): Promise<NoiseSuggestion[]> {
  const minResources = options.minResources ?? 3;
  const scopes = options.scope
    ? [options.scope]
    : [...new Set((await store.listReports()).map((r) => r.scope.toLowerCase()))];
  const tally = new Map<
    string,
    { type: string; path: string; ids: Set<string>; n: number; scopes: Set<string> }
  >();
  const count = (type: string, path: string, resourceId: string, scope: string) => {
    const general = generalise(path);
    const key = `${type.toLowerCase()}\n${general.toLowerCase()}`;
    const entry = tally.get(key) ?? {
      type,
      path: general,
      ids: new Set(),
      n: 0,
      scopes: new Set(),
    };
    entry.ids.add(resourceId.toLowerCase());
    entry.n += 1;
    entry.scopes.add(scope);
    tally.set(key, entry);
  };

  for (const scope of scopes) {
    const findings = await findingsByFingerprint(store, scope, options.reportsPerScope ?? 100);
    for (const accepted of await store.listAccepted(scope)) {
      const finding = findings.get(accepted.fingerprint);
      if (finding?.change !== 'modified') continue;
      for (const change of finding.changes)
        count(finding.resourceType, change.path, finding.resourceId, scope);
    }
    for (const rule of await listChatIgnoreRules(store, scope)) {
      // Only rules about one resource and one path are evidence; broader rules already generalise.
      if (!rule.id || !rule.path || rule.id.includes('*')) continue;
      count(rule.resourceType ?? typeFromId(rule.id), rule.path, rule.id, scope);
    }
  }

  return [...tally.values()]
    .filter((t) => t.ids.size >= minResources)
    .map((t) => ({
      resourceType: t.type,
      path: t.path,
      resources: t.ids.size,
      occurrences: t.n,
      scopes: [...t.scopes].sort(),
      driftignore: `${t.type}.*.${t.path}`,
    }))
    .sort((a, b) => b.resources - a.resources || a.driftignore.localeCompare(b.driftignore));
}

async function findingsByFingerprint(
  store: DriftStore,
  scope: string,
  limit: number,
): Promise<Map<string, Finding>> {
  const out = new Map<string, Finding>();
  for (const ref of await store.listReports({ scope, limit })) {
    const stored = await store.getReport(ref.id);
    for (const f of stored?.report.findings ?? [])
      if (!out.has(f.fingerprint)) out.set(f.fingerprint, f);
  }
  return out;
}

/** `properties.rules[allow-ssh].x` → `properties.rules[*].x`: the same property on any element. */
function generalise(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '[*]');
}
