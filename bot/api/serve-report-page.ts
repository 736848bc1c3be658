import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LinkRefusal, verifyReportLinkToken } from '../../core/api/report-link-token.js';
import type { Clock } from '../../core/clock.js';

/** A rendered report page and the scope of its report (checked against the token's scope). */
export interface RenderedPage {
  html: string;
  scope: string;
}

/** Renders the page of a report with the given CSP nonce; undefined when there is no such report. */
export type RenderPage = (reportId: string, nonce: string) => Promise<RenderedPage | undefined>;

/** The mount point of report pages. */
export const REPORTS_PREFIX = '/reports/';

const REFUSED: Record<LinkRefusal, string> = {
  missing: 'This report needs the link from a driftwatch summary (it carries an access token).',
  malformed: 'This report link is not valid. Open the report from a driftwatch summary.',
  'bad-signature': 'This report link is not valid. Open the report from a driftwatch summary.',
  expired: 'This report link has expired. Open the report from a newer driftwatch summary.',
  'other-report': 'This report link is for another report.',
};

/**
 * The strict Content-Security-Policy of a served page: nothing may load; only the page's own
 * inline scripts and styles run (by nonce), no forms, no framing, no base URL.
 */
export function reportPagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every answer of `/reports/` carries, pages and refusals alike. */
const COMMON = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function refuse(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...COMMON,
    ...extra,
    'content-type': 'text/plain; charset=utf-8',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(`${text}\n`);
}

/**
 * `GET /reports/<id>?token=…`: the report page, only with a valid link token for that report
 * (401 without one; 403 for a forged, expired or other report's token, or one whose scope is not
 * the report's), served with a strict CSP, `no-store` and `no-referrer` (the token is in the URL).
 * Handlers never log the URL.
 *
 * @example
 * host.http.mount(REPORTS_PREFIX, serveReportPage({ secret, clock, render }));
 */
export function serveReportPage(options: {
  secret: string;
  clock: Clock;
  render: RenderPage;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Report pages answer GET only.', { allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://driftwatch');
    const id = decodeURIComponent(url.pathname.slice(REPORTS_PREFIX.length));
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(id)) {
      refuse(res, 404, 'No such report.');
      return;
    }
    const verdict = verifyReportLinkToken({
      secret: options.secret,
      token: url.searchParams.get('token'),
      reportId: id,
      now: options.clock.now(),
    });
    if (!verdict.ok) {
      const status = verdict.refusal === 'missing' ? 401 : 403;
      refuse(
        res,
        status,
        REFUSED[verdict.refusal],
        status === 401 ? { 'www-authenticate': 'Bearer realm="driftwatch-report"' } : {},
      );
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const page = await options.render(id, nonce);
    if (!page) {
      refuse(res, 404, 'This report is no longer stored.');
      return;
    }
    if (page.scope.toLowerCase() !== verdict.grant.scope.toLowerCase()) {
      refuse(res, 403, REFUSED['other-report']);
      return;
    }
    res.writeHead(200, {
      ...COMMON,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': reportPagePolicy(nonce),
    });
    res.end(req.method === 'HEAD' ? undefined : page.html);
  };
}
