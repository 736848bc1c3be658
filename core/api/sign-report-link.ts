import { signReportLinkToken } from './report-link-token.js';

/** What a host needs to put signed report links in summaries. */
export interface ReportLinkSettings {
  /** Base URL of the report pages (`https://driftwatch.contoso.com/reports`). */
  baseUrl: string;
  /** The server's link secret (at least 32 characters; `DRIFTWATCH_LINK_SECRET`). */
  secret: string;
  /** How long a link stays valid, in milliseconds. */
  ttlMs: number;
}

/** Makes the "View full report" URL of one report. */
export type ReportLinker = (reportId: string, scope: string) => string;

/**
 * The URL of a report page carrying a signed, expiring token bound to the report id and scope:
 * `<baseUrl>/<reportId>?token=dwl1.…`. The query key is `token`, which the log sanitiser masks.
 *
 * @example
 * signReportLink({ baseUrl: 'https://dw.contoso.com/reports', secret, ttlMs: 7 * 86_400_000, reportId, scope: 'prod', now: new Date() });
 */
export function signReportLink(
  options: ReportLinkSettings & { reportId: string; scope: string; now: Date },
): string {
  const token = signReportLinkToken({
    secret: options.secret,
    reportId: options.reportId,
    scope: options.scope,
    expiresAt: new Date(options.now.getTime() + options.ttlMs),
  });
  const base = options.baseUrl.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(options.reportId)}?token=${token}`;
}

/**
 * A {@link ReportLinker} over the settings and a clock, for summaries (Slack, Teams, pipeline).
 *
 * @example
 * const link = createReportLinker(settings, clock); link('7f3a…', 'prod');
 */
export function createReportLinker(
  settings: ReportLinkSettings,
  clock: { now(): Date },
): ReportLinker {
  return (reportId, scope) => signReportLink({ ...settings, reportId, scope, now: clock.now() });
}
