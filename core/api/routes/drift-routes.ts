import type { Report } from '../../model/report.js';
import { buildReportTrend } from '../../report/page/build-report-trend.js';
import { mayAccess } from '../api-principal.js';
import { defineRoute } from '../api-route.js';
import { DriftHistory, DriftSummary, HistoryQuery, SummaryQuery } from '../api-schemas.js';
import { requestedScopes } from '../scope-access.js';
import { resultLinks } from './result-routes.js';

/** `GET /drift/summary`: per scope, the latest scan's counts by severity and change. */
export const getSummary = defineRoute({
  method: 'GET',
  path: '/drift/summary',
  operationId: 'getSummary',
  summary: 'Counts per scope and severity from each scope’s latest scan, with its time',
  access: 'read',
  query: SummaryQuery,
  response: { status: 200, schema: DriftSummary, description: 'One entry per scope' },
  async handle({ query, principal, deps }) {
    const scopes = requestedScopes(principal, query.scope);
    const latest = new Map<string, { id: string; scope: string }>();
    for (const ref of await deps.store.listReports()) {
      const key = ref.scope.toLowerCase();
      if (scopes && !scopes.has(key)) continue;
      if (!mayAccess(principal, ref.scope, 'read') || latest.has(key)) continue;
      latest.set(key, ref);
    }
    const entries = [];
    for (const ref of latest.values()) {
      const stored = await deps.store.getReport(ref.id);
      if (!stored) continue;
      const { report } = stored;
      entries.push({
        scope: ref.scope,
        latestScanAt: report.generatedAt,
        reportId: ref.id,
        complete: report.complete,
        findings: report.summary.findings,
        bySeverity: report.summary.bySeverity,
        byChange: report.summary.byChange,
        unknown: report.summary.byChange.unknown,
        links: resultLinks(deps, ref.id),
      });
    }
    entries.sort((a, b) => a.scope.localeCompare(b.scope));
    return { status: 200, body: { scopes: entries } };
  },
});

/** `GET /drift/history`: per scope, one point per stored scan (the report page's trend). */
export const getHistory = defineRoute({
  method: 'GET',
  path: '/drift/history',
  operationId: 'getHistory',
  summary:
    'Per-scan series per scope, oldest first: findings by severity, new and resolved, unknown, mean time to resolve',
  access: 'read',
  query: HistoryQuery,
  response: { status: 200, schema: DriftHistory, description: 'One series per scope' },
  async handle({ query, principal, deps }) {
    const scopes = requestedScopes(principal, query.scope);
    const since = query.since ? Date.parse(query.since) : -Infinity;
    const until = query.until ? Date.parse(query.until) : Infinity;
    const byScope = new Map<string, { scope: string; reports: { id: string; report: Report }[] }>();
    for (const ref of await deps.store.listReports()) {
      const key = ref.scope.toLowerCase();
      if ((scopes && !scopes.has(key)) || !mayAccess(principal, ref.scope, 'read')) continue;
      const at = Date.parse(ref.generatedAt);
      if (at < since || at > until) continue;
      const stored = await deps.store.getReport(ref.id);
      if (!stored) continue;
      const entry = byScope.get(key) ?? { scope: ref.scope, reports: [] };
      entry.reports.push({ id: ref.id, report: stored.report });
      byScope.set(key, entry);
    }
    const series = [...byScope.values()]
      .sort((a, b) => a.scope.localeCompare(b.scope))
      .map(({ scope, reports }) => buildReportTrend(scope, reports));
    return { status: 200, body: { scopes: series } };
  },
});
