import type { Clock } from '../../clock.js';
import type { Report } from '../../model/report.js';
import { PlanRepository } from '../../remediate/plan-repository.js';
import { ALL_SCOPES, CHAT_IGNORE_AREA } from '../../store/chat-ignore-rules.js';
import type { DriftStore } from '../../store/drift-store.js';
import { buildReportTrend } from './build-report-trend.js';
import type { FindingEvent, ReportPageInput } from './report-page-input.js';

/** Scans of the scope read for the trend (the store keeps 100 per scope by default). */
export const DEFAULT_TREND_SCANS = 100;

/** The chat ignore rules as stored (see `chat-ignore-rules.ts`), with when they were made. */
interface StoredIgnoreRule {
  id?: string;
  path?: string;
  owner?: string;
  reason?: string;
  expires?: string;
  createdAt?: string;
}

/**
 * Everything the report page of a stored report shows, read from the store: the report, its
 * scope's trend over the stored scans (at most `trendScans`, newest kept), and each finding's
 * history — acceptances, chat ignore rules naming its resource, and remediation plans that
 * include it with every step they went through. Undefined when no report has that id.
 *
 * @example
 * const input = await loadReportPageInput(store, '7f3a', { clock: systemClock });
 * if (input) res.end(renderReportPage(input, { assets: readPageAssets(), nonce }));
 */
export async function loadReportPageInput(
  store: DriftStore,
  idOrPrefix: string,
  options: { clock: Clock; trendScans?: number },
): Promise<ReportPageInput | undefined> {
  const found = await store.getReport(idOrPrefix);
  if (!found) return undefined;
  const scope = found.ref.scope;
  const refs = await store.listReports({
    scope,
    limit: options.trendScans ?? DEFAULT_TREND_SCANS,
  });
  // One body at a time, kept only as what the trend reads: a scope's 100 reports of thousands of
  // findings would otherwise all be in memory at once.
  const scans: Array<{ id: string; report: Report }> = [];
  for (const ref of refs) {
    const report = ref.id === found.ref.id ? found.report : (await store.getReport(ref.id))?.report;
    if (report) scans.push({ id: ref.id, report: trendView(report) });
  }
  const fingerprints = new Set(found.report.findings.map((f) => f.fingerprint));
  const events = new Map<string, FindingEvent[]>();
  const add = (fp: string, e: FindingEvent) => {
    if (!fingerprints.has(fp)) return;
    const list = events.get(fp) ?? [];
    list.push(e);
    events.set(fp, list);
  };

  for (const a of await store.listAccepted(scope)) {
    add(a.fingerprint, {
      kind: 'accepted',
      at: a.at,
      by: a.by,
      text: a.reason ? `accepted: ${a.reason}` : 'accepted',
    });
  }
  await addIgnoreEvents(store, scope, found.report.findings, add);
  const plans = await new PlanRepository(store, options.clock).list({ scope });
  for (const plan of plans) {
    for (const fp of new Set([...plan.findings, ...plan.resources.map((r) => r.fingerprint)])) {
      for (const step of plan.history) {
        add(fp, {
          kind: 'remediation',
          at: step.at,
          by: step.by,
          text: `${plan.strategy} plan ${plan.id}: ${step.state}${step.note ? ` (${step.note})` : ''}`,
        });
      }
    }
  }
  for (const list of events.values()) list.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));

  return {
    report: found.report,
    reportId: found.ref.id,
    trend: buildReportTrend(scope, scans),
    events: Object.fromEntries(events),
  };
}

/** The parts of a report {@link buildReportTrend} reads (summary; each finding's identity). */
function trendView(report: Report): Report {
  const { platform: _platform, ...rest } = report;
  return {
    ...rest,
    findings: report.findings.map((f) => ({
      resourceId: f.resourceId,
      resourceType: f.resourceType,
      resourceName: f.resourceName,
      change: f.change,
      severity: f.severity,
      fingerprint: f.fingerprint,
      rule: f.rule,
      why: '',
      changes: [],
    })),
  };
}

/** Chat ignore rules whose resource id is a finding's resource (path rules say which path). */
async function addIgnoreEvents(
  store: DriftStore,
  scope: string,
  findings: ReadonlyArray<{ resourceId: string; fingerprint: string }>,
  add: (fp: string, e: FindingEvent) => void,
): Promise<void> {
  const kv = store.keyValue<StoredIgnoreRule[]>(CHAT_IGNORE_AREA);
  const rules = (await Promise.all([kv.get(scope.toLowerCase()), kv.get(ALL_SCOPES)])).flatMap(
    (r) => r ?? [],
  );
  for (const rule of rules) {
    if (!rule.id) continue;
    const id = rule.id.toLowerCase();
    for (const f of findings) {
      if (f.resourceId.toLowerCase() !== id) continue;
      const what = `${rule.path ? `ignore ${rule.path}` : 'ignore resource'}${rule.expires ? ` until ${rule.expires}` : ''}${rule.reason ? `: ${rule.reason}` : ''}`;
      add(f.fingerprint, {
        kind: 'ignored',
        ...(rule.createdAt ? { at: rule.createdAt } : {}),
        by: rule.owner ?? 'unknown',
        text: what,
      });
    }
  }
}
