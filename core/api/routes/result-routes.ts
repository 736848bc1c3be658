import type { Report } from '../../model/report.js';
import { sanitiseReport } from '../../secrets/sanitise-report.js';
import type { ReportRef } from '../../store/drift-store.js';
import { ApiError } from '../api-error.js';
import { mayAccess } from '../api-principal.js';
import { type ApiDeps, defineRoute } from '../api-route.js';
import { DriftResult, IdParam, ResultListQuery, ResultPage, ResultQuery } from '../api-schemas.js';
import { filtersFindings, findingMatcher } from '../filter-findings.js';
import { compareNewestFirst, decodeCursor, encodeCursor } from '../page-cursor.js';
import { requestedScopes, requireScope } from '../scope-access.js';

const API = '/api/v1';

/** The append-only log of changes made through the API that no other log records. */
export const API_AUDIT_LOG = 'api-audit';

/** One entry of {@link API_AUDIT_LOG}. */
export interface ApiAuditEntry {
  at: string;
  by: string;
  action: 'delete-result';
  scope: string;
  resultId: string;
  /** When the deleted scan ran. */
  generatedAt: string;
}

/** Links of one stored result: the API resource and the report page. */
export function resultLinks(deps: Pick<ApiDeps, 'pagePath'>, id: string) {
  return { self: `${API}/drift/results/${id}`, page: `${deps.pagePath}/${id}` };
}

const position = (ref: ReportRef) => ({ at: ref.generatedAt, id: ref.id });

/** `GET /drift/results`: stored scan results, newest first, by cursor. */
export const listResults = defineRoute({
  method: 'GET',
  path: '/drift/results',
  operationId: 'listResults',
  summary:
    'Scan results (stored reports), newest first; filters on scope, time and the findings they hold',
  access: 'read',
  query: ResultListQuery,
  response: { status: 200, schema: ResultPage, description: 'One page of results' },
  async handle({ query, principal, deps }) {
    const scopes = requestedScopes(principal, query.scope);
    const since = query.since ? Date.parse(query.since) : undefined;
    const until = query.until ? Date.parse(query.until) : undefined;
    if (since !== undefined && until !== undefined && since > until) {
      throw new ApiError('bad-parameter', 'since: must not be later than until', {
        parameter: 'since',
      });
    }
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const candidates = (await deps.store.listReports())
      .filter((r) => (scopes ? scopes.has(r.scope.toLowerCase()) : true))
      .filter((r) => mayAccess(principal, r.scope, 'read'))
      .filter((r) => since === undefined || Date.parse(r.generatedAt) >= since)
      .filter((r) => until === undefined || Date.parse(r.generatedAt) <= until)
      .sort((a, b) => compareNewestFirst(position(a), position(b)))
      .filter((r) => !after || compareNewestFirst(after, position(r)) < 0);

    const byFindings = filtersFindings(query);
    const matches = findingMatcher(query);
    const items = [];
    let more = false;
    for (const ref of candidates) {
      let matching: number | undefined;
      if (byFindings) {
        const stored = await deps.store.getReport(ref.id);
        if (!stored) continue; // deleted while we listed
        matching = stored.report.findings.filter(matches).length;
        if (matching === 0) continue;
      }
      if (items.length === query.limit) {
        more = true;
        break;
      }
      items.push({
        id: ref.id,
        scope: ref.scope,
        generatedAt: ref.generatedAt,
        complete: ref.complete,
        findings: ref.findings,
        maxSeverity: ref.maxSeverity,
        ...(matching !== undefined ? { matching } : {}),
        links: resultLinks(deps, ref.id),
      });
    }
    const last = items.at(-1);
    return {
      status: 200,
      body: {
        items,
        nextCursor: more && last ? encodeCursor({ at: last.generatedAt, id: last.id }) : null,
      },
    };
  },
});

/** The stored report as the API shows it: sanitised, with findings filtered. */
export function resultBody(
  deps: Pick<ApiDeps, 'pagePath'>,
  ref: ReportRef,
  report: Report,
  keep: (f: Report['findings'][number]) => boolean = () => true,
) {
  const clean = sanitiseReport(report);
  return {
    ...clean,
    id: ref.id,
    scope: ref.scope,
    findings: clean.findings.filter(keep),
    links: resultLinks(deps, ref.id),
  };
}

async function readResult(deps: ApiDeps, id: string) {
  const stored = await deps.store.getReport(id);
  if (!stored) {
    throw new ApiError(
      'not-found',
      `no stored result ${id}: GET /api/v1/drift/results lists them`,
      {
        parameter: 'id',
      },
    );
  }
  return stored;
}

/** `GET /drift/results/{id}`: one result with its findings (filterable). */
export const getResult = defineRoute({
  method: 'GET',
  path: '/drift/results/{id}',
  operationId: 'getResult',
  summary: 'One scan result with its findings (by id or a unique prefix of 4+ characters)',
  access: 'read',
  params: IdParam,
  query: ResultQuery,
  response: { status: 200, schema: DriftResult, description: 'The result' },
  async handle({ params, query, principal, deps }) {
    const { ref, report } = await readResult(deps, params.id);
    requireScope(principal, ref.scope, 'read');
    return { status: 200, body: resultBody(deps, ref, report, findingMatcher(query)) };
  },
});

/** `DELETE /drift/results/{id}` (admin): removes a stored result from history. */
export const deleteResult = defineRoute({
  method: 'DELETE',
  path: '/drift/results/{id}',
  operationId: 'deleteResult',
  summary: 'Removes a stored result from history (admin of its scope; the full id)',
  access: 'change',
  params: IdParam,
  response: { status: 204, description: 'Deleted' },
  async handle({ params, principal, deps }) {
    const ref = (await deps.store.listReports()).find((r) => r.id === params.id.toLowerCase());
    if (!ref) {
      throw new ApiError(
        'not-found',
        `no stored result with the full id ${params.id}: deleting needs the whole id, as GET /api/v1/drift/results shows it`,
        { parameter: 'id' },
      );
    }
    requireScope(principal, ref.scope, 'change');
    await deps.store.deleteReport(ref.id);
    // History is evidence: who removed which scan is kept in an append-only log.
    await deps.store.appendLog<ApiAuditEntry>(API_AUDIT_LOG).append({
      at: deps.clock.now().toISOString(),
      by: principal.id,
      action: 'delete-result',
      scope: ref.scope,
      resultId: ref.id,
      generatedAt: ref.generatedAt,
    });
    return { status: 204 };
  },
});
