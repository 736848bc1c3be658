import { fixedClock } from '../../core/clock.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { Finding, Report } from '../../core/model/report.js';
import { SEVERITIES, type Severity } from '../../core/model/severity.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';

export const NOW = '2026-11-21T09:00:00.000Z';
export const SUB = '00000000-0000-0000-0000-000000000001';

/** A config with two scopes, one admin and one admin group. */
export function fakeConfig(chat: Record<string, unknown> = {}) {
  return parseConfig(
    {
      scopes: { prod: { subscriptions: [SUB] }, dev: { subscriptions: [SUB] } },
      chat: { access: { admins: ['UADMIN1'], adminGroups: ['SADMINS'] }, ...chat },
    },
    'test config',
  );
}

export function fakeStore(): Promise<DriftStore> {
  return openStore({ memory: true, clock: fixedClock(NOW) });
}

/** A modified-resource finding; fingerprints are `fp-<name>` padded so prefixes are stable. */
export function fakeFinding(
  name: string,
  severity: Severity,
  extra: Partial<Finding> = {},
): Finding {
  return {
    resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}`,
    resourceType: 'Microsoft.Network/networkSecurityGroups',
    resourceName: name,
    change: 'modified',
    severity,
    fingerprint: `${name}-0123456789abcdef`,
    rule: 'nsg-port-open-to-any',
    why: 'SSH reachable from anywhere',
    changes: [
      {
        path: 'properties.securityRules[allow-ssh].properties.sourceAddressPrefix',
        before: '10.10.0.4/32',
        after: '*',
        severity,
        rule: 'nsg-port-open-to-any',
        why: 'SSH reachable from anywhere',
      },
    ],
    ...extra,
  };
}

/** A report as the engine writes it, with the summary computed from `findings`. */
export function fakeReport(scope: string, findings: Finding[], complete = true): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  return {
    schemaVersion: 1,
    generatedAt: NOW,
    scope,
    baseline: { resources: 1214, complete: true },
    current: { resources: 1214, complete },
    complete,
    summary: {
      findings: findings.length,
      byChange: { added: 0, removed: 0, modified: findings.length, unknown: 0 },
      bySeverity,
      maxSeverity: SEVERITIES.find((s) => bySeverity[s] > 0) ?? null,
      suppressed: { total: 3912, byRule: { etag: 3912 } },
      accepted: 0,
    },
    findings,
  };
}

/**
 * A scanner port that saves and returns the next queued report for a scope (the last one
 * repeats), counting calls.
 */
export function fakeScanner(store: DriftStore, queue: Record<string, Report[]>) {
  const calls: string[] = [];
  const scan: ScanPort = async (scope) => {
    calls.push(scope);
    const list = queue[scope] ?? [];
    const report = list.length > 1 ? (list.shift() as Report) : list[0];
    if (!report) throw new Error(`fakeScanner has no report for ${scope}`);
    const ref = await store.saveReport(report);
    return { report, reportId: ref.id, durationMs: 38_000 };
  };
  return { scan, calls };
}

/** Sequential ids `a1`, `a2`, … for opaque action ids. */
export function fakeIds(prefix = 'act') {
  let n = 0;
  return () => `${prefix}${++n}`;
}
