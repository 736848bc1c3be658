import type { DriftwatchConfig } from '../config/config-schema.js';
import type { IgnoreRuleConfig, SeverityRuleConfig } from '../config/sections/engine-config.js';
import type { ArmResource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';
import { type CompiledNoise, compileNoise } from './compile-noise.js';
import { globToRegExp } from './glob.js';
import { type DriftignoreLine, parseDriftignore } from './parse-driftignore.js';
import {
  BUILT_IN_SEVERITY_RULES,
  type ChangeContext,
  FINDING_RULES,
  type SeverityRule,
} from './severity-rules.js';

/** A resource as the ignore rules see it. */
export interface ResourceFacts {
  id: string;
  type: string;
  name: string;
  tags: Record<string, string>;
}

/** Everything the engine applies, compiled once per run. */
export interface EngineRules {
  readonly noise: CompiledNoise;
  /** The severity, rule and reason for one change. */
  scoreChange(change: ChangeContext): { severity: Severity; rule: string; why: string };
  /**
   * The worst built-in rule that scores a property of an added resource read as a change from
   * nothing (rules marked `onAdded`), or undefined when none applies.
   */
  scoreAddedProperty(
    change: ChangeContext,
  ): { severity: Severity; rule: string; why: string } | undefined;
  /** Severity rule for added / removed / unknown resources, after user overrides. */
  findingRule(kind: keyof typeof FINDING_RULES): { id: string; severity: Severity; why: string };
  /** A label for the ignore rule that suppresses the whole resource, or undefined. */
  ignoresResource(resource: ResourceFacts): string | undefined;
  /** A label for the ignore rule that suppresses this change, or undefined. */
  ignoresChange(resource: ResourceFacts, path: string): string | undefined;
  /** Config ignore rules whose `expires` has passed (no longer applied; worth telling the user). */
  readonly expiredIgnores: readonly IgnoreRuleConfig[];
}

let sharedNoise: CompiledNoise | undefined;

/**
 * Compiles config ignore rules, `.driftignore` text and severity rules/overrides once per run.
 *
 * @example
 * const rules = buildEngineRules({ config, driftignore: readFileSync('.driftignore', 'utf8') });
 * const report = compareSnapshots(baseline, current, { rules });
 */
export function buildEngineRules(input: {
  config: Pick<DriftwatchConfig, 'ignore' | 'severity'>;
  driftignore?: string;
  driftignoreSource?: string;
  /** Ignore rules from elsewhere (created in chat), same shape as config entries. */
  extraIgnores?: readonly IgnoreRuleConfig[];
  now?: Date;
}): EngineRules {
  sharedNoise ??= compileNoise();
  const now = input.now ?? new Date();
  const allIgnores = [...input.config.ignore, ...(input.extraIgnores ?? [])];
  const active = allIgnores.filter(
    (r) => !r.expires || new Date(r.expires).getTime() > now.getTime(),
  );
  const expired = allIgnores.filter(
    (r) => r.expires && new Date(r.expires).getTime() <= now.getTime(),
  );
  const configMatchers = active.map(compileIgnore);
  const lines = input.driftignore
    ? parseDriftignore(input.driftignore, input.driftignoreSource ?? '.driftignore')
    : [];
  // Lines that ignore whole resources, picked once: ignoresResource runs for every resource.
  const resourceLines = lines.filter((l) => !l.path);
  const userRules = input.config.severity.rules.map(compileSeverityRule);
  const overrides = input.config.severity.overrides;
  const chain = [...userRules, ...BUILT_IN_SEVERITY_RULES].filter((r) => overrides[r.id] !== 'off');

  return {
    noise: sharedNoise,
    expiredIgnores: expired,
    scoreChange(change) {
      return (
        firstMatch(chain, change, overrides) ?? {
          severity: 'medium',
          rule: 'property-changed',
          why: 'a configuration property changed',
        }
      );
    },
    scoreAddedProperty(change) {
      return firstMatch(
        chain.filter((r) => r.onAdded),
        change,
        overrides,
      );
    },
    findingRule(kind) {
      const rule = FINDING_RULES[kind];
      const severity = overrides[rule.id];
      return { ...rule, severity: severity && severity !== 'off' ? severity : rule.severity };
    },
    ignoresResource(resource) {
      const hit = configMatchers.find((m) => !m.path && m.resource(resource));
      if (hit) return hit.label;
      return lastMatch(resourceLines, resource, undefined);
    },
    ignoresChange(resource, path) {
      const hit = configMatchers.find((m) => m.path?.test(path) && m.resource(resource));
      if (hit) return hit.label;
      return lastMatch(lines, resource, path);
    },
  };
}

/** The first rule that matches, with the user's severity override applied. */
function firstMatch(
  rules: readonly SeverityRule[],
  change: ChangeContext,
  overrides: Readonly<Record<string, Severity | 'off' | undefined>>,
): { severity: Severity; rule: string; why: string } | undefined {
  for (const rule of rules) {
    const hit = rule.match(change);
    if (!hit) continue;
    const severity = overrides[rule.id];
    return {
      severity: severity && severity !== 'off' ? severity : rule.severity,
      rule: rule.id,
      why: typeof hit === 'string' ? hit : rule.why,
    };
  }
  return undefined;
}

/** `.driftignore` semantics: the last line that matches decides; `!` lines un-ignore. */
function lastMatch(
  lines: readonly DriftignoreLine[],
  r: ResourceFacts,
  path: string | undefined,
): string | undefined {
  let decision: DriftignoreLine | undefined;
  for (const line of lines) {
    if (!line.resource(r.id, r.type, r.name)) continue;
    if (line.path && (path === undefined || !line.path.test(path))) continue;
    decision = line;
  }
  return decision && !decision.negate ? `.driftignore:${decision.line}` : undefined;
}

interface IgnoreMatcher {
  label: string;
  path?: RegExp;
  resource(r: ResourceFacts): boolean;
}

function compileIgnore(rule: IgnoreRuleConfig, index: number): IgnoreMatcher {
  const type = rule.resourceType ? globToRegExp(rule.resourceType) : undefined;
  const id = rule.id ? globToRegExp(rule.id) : undefined;
  const [tagKey, tagValue] = rule.tag ? splitTag(rule.tag) : [undefined, undefined];
  const matcher: IgnoreMatcher = {
    label: rule.reason ? `ignore[${index}]: ${rule.reason}` : `ignore[${index}]`,
    resource(r) {
      if (type && !type.test(r.type)) return false;
      if (id && !id.test(r.id)) return false;
      if (tagKey !== undefined) {
        const entry = Object.entries(r.tags).find(
          ([k]) => k.toLowerCase() === tagKey.toLowerCase(),
        );
        if (!entry || (tagValue !== undefined && entry[1] !== tagValue)) return false;
      }
      return true;
    },
  };
  if (rule.path) matcher.path = globToRegExp(rule.path);
  return matcher;
}

function splitTag(tag: string): [string, string | undefined] {
  const at = tag.indexOf('=');
  return at === -1 ? [tag, undefined] : [tag.slice(0, at), tag.slice(at + 1)];
}

function compileSeverityRule(rule: SeverityRuleConfig): SeverityRule {
  const path = globToRegExp(rule.path);
  const type = rule.resourceType ? globToRegExp(rule.resourceType) : undefined;
  const wanted = rule.after?.map((v) => JSON.stringify(v));
  return {
    id: rule.id,
    severity: rule.severity,
    why: rule.why,
    match: (c) =>
      path.test(c.path) &&
      (!type || type.test(c.resourceType)) &&
      (!wanted || wanted.includes(JSON.stringify(c.after))),
  };
}

/** Facts of a resource for ignore matching. */
export function resourceFacts(resource: ArmResource, type: string, name: string): ResourceFacts {
  const tags = resource.tags && typeof resource.tags === 'object' ? resource.tags : {};
  return { id: resource.id, type, name, tags };
}
