import type { Clock } from '../clock.js';
import type { Change, Finding, Report } from '../model/report.js';
import type { ArmResource, Snapshot, SnapshotError } from '../model/resource.js';
import { type Severity, severityRank } from '../model/severity.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import type { AcceptedDrift } from '../store/drift-store.js';
import { byImportance } from './by-importance.js';
import { diffResource } from './diff-resource.js';
import {
  buildEngineRules,
  type EngineRules,
  type ResourceFacts,
  resourceFacts,
} from './engine-rules.js';
import { fingerprint } from './fingerprint.js';
import { fromGraphRow } from './from-graph-row.js';
import { displayName, idKey, nameFromId, typeFromId } from './resource-identity.js';
import { summariseFindings } from './summarise-findings.js';

export interface CompareOptions {
  scope?: string;
  rules?: EngineRules;
  /** Accepted fingerprints are counted in the summary instead of listed. */
  accepted?: readonly AcceptedDrift[];
  clock?: Clock;
  /** How the baseline is described in reports (e.g. "pipeline run 4411"). */
  baselineLabel?: string;
}

const DEFAULT_RULES = () =>
  buildEngineRules({ config: { ignore: [], severity: { rules: [], overrides: {} } } });

/**
 * Compares a baseline snapshot with a current one and returns the drift report.
 *
 * A baseline resource missing from the current snapshot is `removed` only when the current
 * snapshot could read its scope; if it is covered by the current snapshot's `errors` it is
 * `unknown`. Platform noise is counted in `summary.suppressed`, never listed.
 *
 * @example
 * const report = compareSnapshots(baseline, current, { scope: 'prod', rules });
 * if (report.summary.maxSeverity === 'critical') …
 */
export function compareSnapshots(
  baseline: Snapshot,
  current: Snapshot,
  options: CompareOptions = {},
): Report {
  const rules = options.rules ?? DEFAULT_RULES();
  const suppressed = new Map<string, number>();
  const findings: Finding[] = [];
  // Each current resource by its key, with whether a baseline resource had that key: what is
  // left unmatched was added. (A flag, not a second set of keys: each key is hashed once.)
  const currentById = new Map<string, { resource: ArmResource; matched: boolean }>();
  for (const r of current.resources)
    currentById.set(idKey(r.id), { resource: fromGraphRow(r), matched: false });
  const unreadableNow = errorMatcher(current.errors);
  const unreadableBefore = errorMatcher(baseline.errors);

  for (const stored of baseline.resources) {
    const before = fromGraphRow(stored);
    const entry = currentById.get(idKey(before.id));
    if (entry) entry.matched = true;
    const after = entry?.resource;
    const type = before.type ?? typeFromId(before.id);
    const facts = resourceFacts(after ?? before, type, before.name ?? nameFromId(before.id));
    const ignored = rules.ignoresResource(facts);
    if (ignored) {
      count(suppressed, ignored);
      continue;
    }
    if (!after) {
      const error = unreadableNow(before.id, type);
      findings.push(
        error
          ? unknownFinding(before, type, error, rules)
          : simpleFinding(before, type, 'removed', rules),
      );
      continue;
    }
    const raw = diffResource(before, after, {
      noise: rules.noise,
      trie: rules.noise.trieFor(type),
      suppressed,
    });
    if (raw.length > 0) {
      const finding = modifiedFinding(before, after, type, raw, facts, rules, suppressed);
      if (finding) findings.push(finding);
    }
  }
  for (const { resource: after, matched } of currentById.values()) {
    if (matched) continue;
    const type = after.type ?? typeFromId(after.id);
    const ignored = rules.ignoresResource(
      resourceFacts(after, type, after.name ?? nameFromId(after.id)),
    );
    if (ignored) {
      count(suppressed, ignored);
      continue;
    }
    const error = unreadableBefore(after.id, type);
    findings.push(
      error
        ? unknownFinding(
            after,
            type,
            { ...error, message: `not readable in the baseline: ${error.message}` },
            rules,
          )
        : simpleFinding(after, type, 'added', rules),
    );
  }

  const acceptedSet = new Set((options.accepted ?? []).map((a) => a.fingerprint));
  const listed = findings.filter((f) => !acceptedSet.has(f.fingerprint)).sort(byImportance);
  const report: Report = {
    schemaVersion: 2,
    generatedAt: (options.clock?.now() ?? new Date()).toISOString(),
    baseline: describeSnapshot(baseline, options.baselineLabel),
    current: describeSnapshot(current),
    complete: current.complete && current.errors.length === 0,
    summary: summariseFindings(listed, suppressed, findings.length - listed.length),
    findings: listed,
  };
  if (options.scope) report.scope = options.scope;
  // Fingerprints are taken from the hashes above; what leaves the engine shows no secret.
  return sanitiseReport(report);
}

function modifiedFinding(
  before: ArmResource,
  after: ArmResource,
  type: string,
  raw: ReturnType<typeof diffResource>,
  facts: ResourceFacts,
  rules: EngineRules,
  suppressed: Map<string, number>,
): Finding | undefined {
  const lowerType = type.toLowerCase();
  const changes: Change[] = [];
  for (const c of raw) {
    const ignored = rules.ignoresChange(facts, c.path);
    if (ignored) {
      count(suppressed, ignored);
      continue;
    }
    const scored = rules.scoreChange({
      resourceType: lowerType,
      path: c.path,
      before: c.before,
      after: c.after,
      beforeResource: before,
      afterResource: after,
    });
    changes.push({
      path: c.path,
      before: c.before,
      after: c.after,
      severity: scored.severity,
      rule: scored.rule,
      why: scored.why,
    });
  }
  if (changes.length === 0) return undefined;
  changes.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.path < b.path ? -1 : 1),
  );
  const top = changes[0] as Change;
  return {
    resourceId: after.id,
    resourceType: after.type ?? type,
    resourceName: displayName(after.id, after.name),
    change: 'modified',
    severity: top.severity,
    fingerprint: fingerprint(after.id, 'modified', changes),
    rule: top.rule,
    why: top.why,
    changes,
  };
}

function simpleFinding(
  resource: ArmResource,
  type: string,
  change: 'added' | 'removed',
  rules: EngineRules,
): Finding {
  const lowerType = type.toLowerCase();
  const exposed =
    change === 'added' &&
    /^microsoft\.network\/(publicipaddresses|networksecuritygroups\/securityrules)$/.test(
      lowerType,
    );
  const loggingRemoved =
    change === 'removed' && /(diagnosticsettings|auditingsettings)$/.test(lowerType);
  let rule: { id: string; severity: Severity; why: string } = rules.findingRule(
    change === 'removed'
      ? loggingRemoved
        ? 'removedLogging'
        : 'removed'
      : exposed
        ? 'addedExposed'
        : 'added',
  );
  if (change === 'added') {
    const worst = scoreAddedBody(resource, lowerType, rules);
    if (worst && severityRank(worst.severity) > severityRank(rule.severity))
      rule = { id: worst.rule, severity: worst.severity, why: worst.why };
  }
  return {
    resourceId: resource.id,
    resourceType: type,
    resourceName: displayName(resource.id, resource.name),
    change,
    severity: rule.severity,
    fingerprint: fingerprint(resource.id, change),
    rule: rule.id,
    why: rule.why,
    changes: [],
  };
}

/**
 * An added resource scored by what it opens, not only by its type: each property of its body
 * is read as a change from nothing and scored by the rules marked `onAdded` (a new firewall rule
 * admitting the internet is critical, not "a resource was added").
 */
function scoreAddedBody(
  resource: ArmResource,
  lowerType: string,
  rules: EngineRules,
): { severity: Severity; rule: string; why: string } | undefined {
  const properties = diffResource({ id: resource.id }, resource, {
    noise: rules.noise,
    trie: rules.noise.trieFor(lowerType),
    suppressed: new Map(),
  });
  let worst: { severity: Severity; rule: string; why: string } | undefined;
  for (const p of properties) {
    const scored = rules.scoreAddedProperty({
      resourceType: lowerType,
      path: p.path,
      before: undefined,
      after: p.after,
      beforeResource: undefined,
      afterResource: resource,
    });
    if (scored && (!worst || severityRank(scored.severity) > severityRank(worst.severity)))
      worst = scored;
  }
  return worst;
}

function unknownFinding(
  resource: ArmResource,
  type: string,
  error: SnapshotError,
  rules: EngineRules,
): Finding {
  const rule = rules.findingRule('unknown');
  return {
    resourceId: resource.id,
    resourceType: type,
    resourceName: displayName(resource.id, resource.name),
    change: 'unknown',
    severity: rule.severity,
    fingerprint: fingerprint(resource.id, 'unknown'),
    rule: rule.id,
    why: rule.why,
    changes: [],
    reason: error.message,
  };
}

/** Finds the snapshot error (if any) that covers a resource: its id, or a scope prefix of it. */
function errorMatcher(
  errors: readonly SnapshotError[],
): (id: string, type: string) => SnapshotError | undefined {
  if (errors.length === 0) return () => undefined;
  const compiled = errors.map((e) => ({
    error: e,
    prefix: idKey(e.id).replace(/\/+$/, ''),
    type: e.resourceType?.toLowerCase(),
  }));
  return (id, type) => {
    const key = idKey(id);
    const lowerType = type.toLowerCase();
    return compiled.find(
      (c) =>
        (key === c.prefix || key.startsWith(`${c.prefix}/`)) && (!c.type || c.type === lowerType),
    )?.error;
  };
}

function describeSnapshot(snapshot: Snapshot, label?: string) {
  const out: Report['baseline'] = {
    resources: snapshot.resources.length,
    complete: snapshot.complete && snapshot.errors.length === 0,
  };
  if (snapshot.collectedAt) out.collectedAt = snapshot.collectedAt;
  if (snapshot.source?.description) out.source = snapshot.source.description;
  else if (snapshot.source?.kind) out.source = snapshot.source.kind;
  if (label) out.label = label;
  return out;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
