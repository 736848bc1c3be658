import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../core/model/report.js';
import { maxSeverity } from '../core/model/severity.js';
import { redactSecrets } from '../core/redact/redact-secrets.js';
import { mdText } from '../core/report/escape-markdown.js';
import { readPageAssets } from '../core/report/page/read-page-assets.js';
import { renderReportPage } from '../core/report/page/render-report-page.js';
import { renderJunit } from '../core/report/render-junit.js';
import { renderSarif } from '../core/report/render-sarif.js';
import { driftFindings } from './decide-gate-result.js';
import { renderPipelineSummary, who } from './render-pipeline-summary.js';
import type { GateOutcome } from './run-drift-gate.js';
import type { TaskHost } from './task-host.js';
import type { TaskParameters } from './task-parameters.js';

/** Files a run leaves in the report directory. */
export interface GateFiles {
  json: string;
  summary: string;
  sarif?: string;
  junit?: string;
  /** check: the self-contained report page (trend, filters, details), readable offline. */
  html?: string;
}

/**
 * Turns an outcome into what the agent shows: report files (JSON, SARIF, JUnit, the HTML report
 * page) as attachments, the Markdown summary on the run, JUnit results on the Tests tab, output variables,
 * one `##[error]`/`##[warning]` line per finding at or above the threshold, and the result.
 */
export function publishGateOutcome(
  host: TaskHost,
  params: TaskParameters,
  outcome: GateOutcome,
  toolVersion: string,
): GateFiles {
  const files = writeGateFiles(params, outcome, toolVersion);
  const { report, decision } = outcome;
  host.addAttachment('driftwatch.report', `${outcome.scope}.json`, files.json);
  if (files.sarif) host.addAttachment('driftwatch.sarif', `${outcome.scope}.sarif`, files.sarif);
  if (files.junit)
    host.addAttachment('driftwatch.junit', `${outcome.scope}.junit.xml`, files.junit);
  if (files.html) host.addAttachment('driftwatch.html', `${outcome.scope}.html`, files.html);
  host.uploadSummary(files.summary);
  if (files.junit && params.publishTestResults)
    host.publishJUnit(files.junit, `Drift gate · ${outcome.scope}`);
  if (
    params.command === 'record' &&
    outcome.recorded &&
    params.baseline.kind === 'file' &&
    params.baseline.artifactName
  ) {
    host.uploadArtifact('baseline', params.baseline.path, params.baseline.artifactName);
  }
  const drift = driftFindings(report);
  host.setOutput('driftCount', String(drift.length));
  host.setOutput('driftMaxSeverity', maxSeverity(drift.map((f) => f.severity)) ?? 'none');
  host.setOutput('driftDetected', String(drift.length > 0));
  host.setOutput('reportPath', files.json);
  const kind = params.mode === 'fail' ? 'error' : 'warning';
  for (const finding of decision.above) host.issue(kind, findingLine(host, finding));
  host.log(host.loc('ReportWritten', Object.values(files).join(', ')));
  host.setResult(
    decision.result,
    decision.messages.map((m) => host.loc(m.key, ...m.args)).join(' '),
  );
  return files;
}

function writeGateFiles(
  params: TaskParameters,
  outcome: GateOutcome,
  toolVersion: string,
): GateFiles {
  const dir = params.reportDirectory;
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `driftwatch-${outcome.scope}-${params.command}`);
  // The agent titles the summary's section on the Extensions tab with the file's name.
  const title = params.command === 'check' ? 'Drift gate' : 'Drift baseline';
  const files: GateFiles = {
    json: `${base}.json`,
    summary: join(dir, `${title} ${outcome.scope}.md`),
  };
  writeFileSync(files.json, `${redactSecrets(JSON.stringify(outcome.report, null, 2))}\n`);
  writeFileSync(files.summary, renderSummary(params, outcome));
  if (params.command === 'check') {
    files.sarif = `${base}.sarif`;
    files.junit = `${base}.junit.xml`;
    writeFileSync(files.sarif, renderSarif(outcome.report, { toolVersion }));
    writeFileSync(files.junit, renderJunit(outcome.report));
    files.html = `${base}.html`;
    // The same page as `driftwatch report ID --format html`; uPlot is in the bundle.
    writeFileSync(
      files.html,
      renderReportPage(outcome.page ?? { report: outcome.report }, { assets: readPageAssets() }),
    );
  }
  return files;
}

function renderSummary(params: TaskParameters, outcome: GateOutcome): string {
  if (params.command === 'check') {
    return renderPipelineSummary({
      report: outcome.report,
      decision: outcome.decision,
      failOn: params.failOn,
      baseline: outcome.baselineDescription,
      unreadable: outcome.unreadable,
      ...(outcome.reportLink ? { reportLink: outcome.reportLink } : {}),
    });
  }
  const { report } = outcome;
  const title = outcome.recorded ? 'RECORDED' : 'NOT RECORDED';
  const lines = [
    `## Drift baseline: ${title} — scope ${mdText(outcome.scope)}, ${report.current.resources.toLocaleString('en-US')} resources`,
    '',
    outcome.recorded
      ? `Recorded by ${outcome.runDescription}; drift found later is drift since this deployment.`
      : `**Not recorded:** the collection was incomplete, so the previous baseline stays in force. Not readable: ${outcome.unreadable.slice(0, 10).map(mdText).join('; ')}`,
    '',
    `Previous baseline: ${mdText(outcome.baselineDescription)} · ${driftFindings(report).length} resources changed since then.`,
  ];
  return `${redactSecrets(lines.join('\n'))}\n`;
}

function findingLine(host: TaskHost, finding: Finding): string {
  const first = finding.changes[0];
  const what = first ? `${first.path} ${JSON.stringify(first.after ?? null)}` : finding.change;
  const line = host.loc(
    'FindingLine',
    finding.severity.toUpperCase(),
    finding.resourceName,
    what,
    finding.why,
  );
  const by = who(finding);
  return redactSecrets(by === '—' ? line : `${line} (${by})`);
}
