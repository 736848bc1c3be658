import type { Finding, Report } from '../model/report.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { describeValues } from './format-value.js';

/**
 * Renders a report as JUnit XML for a pipeline's Tests tab: one testsuite, one failing testcase
 * per finding with its changes in the failure body. A report without findings gets one passing
 * testcase, so the run still shows that the gate ran.
 *
 * @example
 * writeFileSync('drift.junit.xml', renderJunit(report));
 */
export function renderJunit(input: Report, options: { suiteName?: string } = {}): string {
  const report = sanitiseReport(input);
  const scope = report.scope ?? 'default';
  const suite = options.suiteName ?? `driftwatch drift gate · ${scope}`;
  const cases = report.findings.map(findingCase);
  if (cases.length === 0) {
    cases.push(
      `    <testcase classname="driftwatch.${attr(scope)}" name="${attr(`no drift in ${report.current.resources} resources`)}" time="0"/>`,
    );
  }
  const tests = Math.max(report.findings.length, 1);
  const failures = report.findings.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="driftwatch" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    `  <testsuite name="${attr(suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="0" timestamp="${attr(report.generatedAt.replace(/Z$/, ''))}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function findingCase(finding: Finding): string {
  const name = `${finding.resourceName}: ${finding.change} (${finding.severity})`;
  const message = `${finding.severity} ${finding.change} ${finding.resourceName}: ${finding.why}`;
  const body = [
    `${finding.resourceId}`,
    `${finding.change} · ${finding.severity} · rule ${finding.rule}`,
    ...(finding.reason ? [`not readable: ${finding.reason}`] : []),
    ...finding.changes.map(
      (c) => `  [${c.severity}] ${c.path}: ${describeValues(c, 500)} (${c.rule}: ${c.why})`,
    ),
    ...(finding.attribution ? [`by: ${finding.attribution.summary}`] : []),
  ].join('\n');
  return [
    `    <testcase classname="${attr(finding.resourceType)}" name="${attr(name)}" time="0">`,
    `      <failure message="${attr(message)}" type="${attr(finding.severity)}">${text(body)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

// XML 1.0 allows only tab, LF, CR and characters from U+0020 on (minus surrogates and U+FFFE/F).
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: sanitised, invalid characters dropped, markup escaped. */
function text(value: string): string {
  return redactSecrets(value)
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Attribute values additionally escape quotes and keep line breaks as character references. */
function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
