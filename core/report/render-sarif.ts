import type { Finding, Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { valuePair } from './format-value.js';

/** SARIF `level` per severity: code-scanning tools sort and gate on it. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub's `security-severity` scale (critical ≥ 9, high ≥ 7, medium ≥ 4, low > 0). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '0.0',
};

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: string };
  properties: { 'security-severity': string; severity: Severity };
}

/**
 * Renders a report as a SARIF 2.1.0 log: one rule per severity rule id, one result per change of
 * a modified resource (one per finding for added, removed and unknown resources), located at the
 * resource id as a logical location. Values pass the secret sanitiser.
 *
 * @example
 * writeFileSync('drift.sarif', renderSarif(report, { toolVersion: '0.1.0' }));
 */
export function renderSarif(input: Report, options: { toolVersion?: string } = {}): string {
  const report = sanitiseReport(input);
  const rules = new Map<string, SarifRule>();
  const results: unknown[] = [];
  const ruleIndex = (id: string, severity: Severity, why: string) => {
    if (!rules.has(id)) {
      rules.set(id, {
        id,
        shortDescription: { text: redactSecrets(why) },
        defaultConfiguration: { level: LEVEL[severity] },
        properties: { 'security-severity': SECURITY_SEVERITY[severity], severity },
      });
    }
    return [...rules.keys()].indexOf(id);
  };
  for (const finding of report.findings) {
    if (finding.change === 'modified' && finding.changes.length > 0) {
      for (const change of finding.changes) {
        const pair = valuePair(change, 200);
        const what =
          'hidden' in pair ? pair.hidden : `changed from ${pair.before} to ${pair.after}`;
        const text = `${finding.resourceName}: ${change.path} ${what}. ${change.why}`;
        results.push(
          result(finding, {
            ruleId: change.rule,
            ruleIndex: ruleIndex(change.rule, change.severity, change.why),
            severity: change.severity,
            text,
            path: change.path,
          }),
        );
      }
      continue;
    }
    const text = `${finding.resourceName} (${finding.resourceType}) was ${finding.change}${finding.reason ? `: ${finding.reason}` : ''}. ${finding.why}`;
    results.push(
      result(finding, {
        ruleId: finding.rule,
        ruleIndex: ruleIndex(finding.rule, finding.severity, finding.why),
        severity: finding.severity,
        text,
      }),
    );
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'driftwatch',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            informationUri: 'https://github.com/driftwatch/driftwatch',
            rules: [...rules.values()],
          },
        },
        automationDetails: { id: `driftwatch/${report.scope ?? 'default'}/` },
        invocations: [
          {
            executionSuccessful: report.complete,
            endTimeUtc: report.generatedAt,
            ...(report.complete
              ? {}
              : {
                  toolExecutionNotifications: [
                    {
                      level: 'warning',
                      message: {
                        text: `the collection was incomplete: ${report.summary.byChange.unknown} resource(s) could not be read`,
                      },
                    },
                  ],
                }),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(
  finding: Finding,
  r: { ruleId: string; ruleIndex: number; severity: Severity; text: string; path?: string },
) {
  return {
    ruleId: r.ruleId,
    ruleIndex: r.ruleIndex,
    level: LEVEL[r.severity],
    message: { text: redactSecrets(r.text) },
    locations: [
      {
        logicalLocations: [
          {
            fullyQualifiedName: finding.resourceId,
            name: finding.resourceName,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: {
      'driftwatch/v1': r.path ? `${finding.fingerprint}:${r.path}` : finding.fingerprint,
    },
    properties: {
      severity: r.severity,
      change: finding.change,
      resourceType: finding.resourceType,
      ...(r.path ? { path: r.path } : {}),
      ...(finding.attribution ? { attribution: redactSecrets(finding.attribution.summary) } : {}),
    },
  };
}
