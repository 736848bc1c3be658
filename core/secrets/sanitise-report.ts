import type { Attribution, Change, Finding, Report } from '../model/report.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { looksLikeKey } from '../redact/secret-patterns.js';
import { isSecretMarker, SECRET_SHOWN } from './secret-marker.js';
import { pathSegments, type SecretPathMatcher, secretPathsFor } from './secret-paths.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one value sanitiser for reports: every renderer (terminal, JSON, Markdown, SARIF, JUnit,
 * chat, pipeline summary) and every store write passes a report through it. Values at secret
 * paths and keyed-hash markers read `(secret)`, secrets inside text are masked, and a change that
 * involves a secret is flagged `secret` so renderers say "changed (secret, value hidden)".
 * Idempotent, and it never changes fingerprints (they are computed from the hashes).
 *
 * @example
 * ctx.stdout.write(JSON.stringify(sanitiseReport(report), null, 2));
 */
export function sanitiseReport(report: Report): Report {
  return {
    ...report,
    ...(report.scope !== undefined ? { scope: redactSecrets(report.scope) } : {}),
    baseline: sanitiseSummary(report.baseline),
    current: sanitiseSummary(report.current),
    findings: report.findings.map(sanitiseFinding),
    ...(report.platform ? { platform: report.platform.map(sanitiseFinding) } : {}),
  };
}

function sanitiseSummary(summary: Report['baseline']): Report['baseline'] {
  return {
    ...summary,
    ...(summary.source !== undefined ? { source: redactSecrets(summary.source) } : {}),
    ...(summary.label !== undefined ? { label: redactSecrets(summary.label) } : {}),
  };
}

function sanitiseFinding(finding: Finding): Finding {
  const paths = secretPathsFor(finding.resourceType, finding.resourceId);
  const out: Finding = {
    ...finding,
    resourceId: redactSecrets(finding.resourceId),
    resourceName: redactSecrets(finding.resourceName),
    why: redactSecrets(finding.why),
    changes: finding.changes.map((c) => sanitiseChange(c, paths)),
  };
  if (finding.reason !== undefined) out.reason = redactSecrets(finding.reason);
  if (finding.attribution) out.attribution = sanitiseAttribution(finding.attribution);
  return out;
}

function sanitiseChange(change: Change, paths: SecretPathMatcher): Change {
  const segments = pathSegments(change.path);
  const found = { secret: change.secret === true };
  const out: Change = {
    ...change,
    path: redactSecrets(change.path),
    why: redactSecrets(change.why),
    before: sanitiseValue(change.before, segments, paths, found),
    after: sanitiseValue(change.after, segments, paths, found),
  };
  if (found.secret) out.secret = true;
  return out;
}

function sanitiseAttribution(a: Attribution): Attribution {
  const out: Attribution = { ...a, summary: redactSecrets(a.summary) };
  if (a.actor !== undefined) out.actor = redactSecrets(a.actor);
  if (a.run) {
    out.run = Object.fromEntries(
      Object.entries(a.run).map(([k, v]) => [k, typeof v === 'string' ? redactSecrets(v) : v]),
    ) as Attribution['run'] & object;
  }
  return out;
}

/** One value, deeply: hidden where a path or a marker says secret, masked where text holds one. */
function sanitiseValue(
  value: unknown,
  segments: string[],
  paths: SecretPathMatcher,
  found: { secret: boolean },
): unknown {
  if (value === undefined || value === null) return value;
  if (value === SECRET_SHOWN || isSecretMarker(value)) {
    found.secret = true;
    return SECRET_SHOWN;
  }
  if (paths.classify(segments) && value !== '') {
    found.secret = true;
    return SECRET_SHOWN;
  }
  if (typeof value === 'string') {
    if (segments[0] === 'tags' && segments.length === 2 && looksLikeKey(value)) {
      found.secret = true;
      return SECRET_SHOWN;
    }
    const shown = redactSecrets(value);
    if (shown !== value) found.secret = true;
    return shown;
  }
  if (Array.isArray(value))
    return value.map((v) => sanitiseValue(v, [...segments, '[]'], paths, found));
  if (isObject(value)) {
    const out: Json = {};
    for (const key of Object.keys(value)) {
      out[key] = sanitiseValue(value[key], [...segments, key], paths, found);
    }
    return out;
  }
  return value;
}
