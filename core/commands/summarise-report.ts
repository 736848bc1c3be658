import type { ReportLinker } from '../api/sign-report-link.js';
import { describeCostSummary } from '../impact/describe-impact.js';
import type { Finding, Report } from '../model/report.js';
import { atOrAbove, SEVERITIES, type Severity, severityRank } from '../model/severity.js';
import type { DriftStore } from '../store/drift-store.js';
import { saveActionContext } from './action-context.js';
import type { ChatAction, ChatBlock, ChatFinding, ChatMessage } from './chat-message.js';
import { describeFinding, shortFindingId } from './describe-finding.js';
import { formatChatTime, formatCount } from './format-chat-time.js';

/**
 * The fingerprint a summary's *Remediate all…* button carries: every finding of the report whose
 * resource was read (unknown resources cannot be remediated), whatever the summary's floor.
 */
export const ALL_FINDINGS = '*';

/** What {@link summariseReport} needs: the report, where it goes, and what changed since last time. */
export interface SummariseOptions {
  report: Report;
  reportId: string;
  scope: string;
  store: DriftStore;
  now: Date;
  timezone: string;
  /** Findings with buttons in the main message (UX: at most five); the rest go to the thread. */
  topFindings: number;
  minSeverity?: Severity;
  /** Base URL of the report page. */
  reportUrl?: string;
  /** Makes the signed link of the report page (wins over `reportUrl`, which it already includes). */
  reportLink?: ReportLinker;
  /** For scheduled summaries: what changed since the previous one. */
  since?: { at: Date; newFingerprints: ReadonlySet<string>; resolved: number };
  nextRun?: Date;
  durationMs?: number;
  newId?: () => string;
  /** The scope has a remediation policy: findings get *Remediate…*, the summary *Remediate all…*. */
  remediable?: boolean;
}

/**
 * Turns a report into the summary message: counts by severity, what is new and resolved, the
 * top findings with attribution and buttons (opaque ids stored in the store), the rest in the
 * thread, and a link to the full report.
 *
 * @example
 * const message = await summariseReport({ report, reportId, scope: 'prod', store, now, timezone: 'UTC', topFindings: 5 });
 */
export async function summariseReport(options: SummariseOptions): Promise<ChatMessage> {
  const { report, scope, now, timezone } = options;
  const floor = options.minSeverity ?? 'info';
  const shown = sortFindings(
    report.findings.filter((f) => atOrAbove(f.severity, floor)),
    options.since?.newFingerprints,
  );
  const hidden = report.findings.length - shown.length;
  const top = shown.slice(0, options.topFindings);
  const rest = shown.slice(options.topFindings);
  const reportUrl = options.reportLink
    ? options.reportLink(options.reportId, scope)
    : options.reportUrl
      ? `${options.reportUrl.replace(/\/$/, '')}/${options.reportId}`
      : undefined;

  const header = headerFor(report, scope, shown);
  const blocks: ChatBlock[] = [{ kind: 'facts', facts: factsFor(options, shown.length) }];
  for (const finding of top) {
    blocks.push({ kind: 'finding', finding: await chatFinding(finding, options) });
  }
  const remediable = report.findings.filter((f) => f.change !== 'unknown');
  if (options.remediable && remediable.length > 1) {
    const id = await saveActionContext(
      options.store,
      { scope, fingerprint: ALL_FINDINGS, reportId: options.reportId },
      options.newId,
    );
    blocks.push({
      kind: 'actions',
      actions: [
        { kind: 'remediate', label: `Remediate all ${formatCount(remediable.length)}…`, id },
      ],
    });
  }
  const context: string[] = [];
  if (rest.length > 0) context.push(`${formatCount(rest.length)} more in the thread`);
  if (hidden > 0) context.push(`${formatCount(hidden)} below ${floor} not shown`);
  if (!report.complete) context.push('incomplete scan: unreadable resources are listed as unknown');
  if (report.summary.suppressed.total > 0) {
    context.push(
      `suppressed ${formatCount(report.summary.suppressed.total)} platform-managed or ignored changes`,
    );
  }
  if (report.summary.accepted > 0) context.push(`${formatCount(report.summary.accepted)} accepted`);
  const cost = describeCostSummary(report);
  if (cost) context.push(cost);
  if (options.nextRun) {
    context.push(`next scan ${formatChatTime(options.nextRun, { timezone, now, zoneName: true })}`);
  }
  if (context.length > 0) blocks.push({ kind: 'context', lines: context });

  return {
    visibility: 'channel',
    text: header,
    header,
    tone: report.summary.maxSeverity ?? (report.complete ? 'ok' : 'neutral'),
    blocks,
    ...(rest.length > 0 ? { thread: rest.map((f) => threadLine(f)) } : {}),
    ...(reportUrl ? { reportUrl } : {}),
  };
}

function headerFor(report: Report, scope: string, shown: readonly Finding[]): string {
  const incomplete = report.complete ? '' : ' (incomplete scan)';
  if (shown.length === 0) return `No drift in ${scope}${incomplete}`;
  const counts = SEVERITIES.map((s) => [s, shown.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${formatCount(n)} ${s}`);
  return `Drift in ${scope} · ${counts.join(', ')}${incomplete}`;
}

function factsFor(options: SummariseOptions, open: number) {
  const { report, since } = options;
  const facts = [];
  if (since) {
    const when = formatChatTime(since.at, { timezone: options.timezone, now: options.now });
    facts.push({ label: `New since ${when}`, value: formatCount(since.newFingerprints.size) });
    facts.push({ label: 'Resolved', value: formatCount(since.resolved) });
    facts.push({ label: 'Still open', value: formatCount(open - since.newFingerprints.size) });
  } else {
    facts.push({ label: 'Findings', value: formatCount(open) });
  }
  const seconds =
    options.durationMs === undefined ? '' : ` in ${Math.round(options.durationMs / 1000)} s`;
  facts.push({
    label: 'Scanned',
    value: `${formatCount(report.current.resources)} resources${seconds}`,
  });
  return facts;
}

function sortFindings(findings: Finding[], fresh?: ReadonlySet<string>): Finding[] {
  const isNew = (f: Finding) => (fresh?.has(f.fingerprint) ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      isNew(b) - isNew(a) ||
      a.resourceName.localeCompare(b.resourceName),
  );
}

async function chatFinding(finding: Finding, options: SummariseOptions): Promise<ChatFinding> {
  const id = await saveActionContext(
    options.store,
    { scope: options.scope, fingerprint: finding.fingerprint, reportId: options.reportId },
    options.newId,
  );
  const { summary, details } = describeFinding(finding);
  const fresh = options.since?.newFingerprints.has(finding.fingerprint)
    ? ['new since last summary']
    : [];
  const actions: ChatAction[] = [
    { kind: 'show-diff', label: 'Show diff', id },
    { kind: 'accept', label: 'Accept', id, style: 'primary' },
    { kind: 'ignore-7d', label: 'Ignore 7 days', id },
    ...(options.remediable && finding.change !== 'unknown'
      ? [{ kind: 'remediate' as const, label: 'Remediate…', id }]
      : []),
  ];
  return {
    severity: finding.severity,
    resource: finding.resourceName,
    summary,
    details: [...fresh, ...details],
    actions,
  };
}

/** A finding in the thread: no buttons (ids are typed: `/drift show <id>`). */
function threadLine(finding: Finding): ChatBlock {
  const { summary, details } = describeFinding(finding);
  const attribution = details.find((d) => d.startsWith('changed by '));
  return {
    kind: 'finding',
    finding: {
      severity: finding.severity,
      resource: finding.resourceName,
      summary,
      details: [...(attribution ? [attribution] : []), `id ${shortFindingId(finding)}`],
      actions: [],
    },
  };
}
