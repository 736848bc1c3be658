import type { BaselineVersionsPort } from '../../core/api/api-route.js';
import { API_ROUTES } from '../../core/api/api-routes.js';
import { createAuthenticator } from '../../core/api/authenticate-request.js';
import { buildOpenApiDocument } from '../../core/api/build-openapi-document.js';
import { createApiRequestHandler } from '../../core/api/handle-api-request.js';
import { createScanJobs, type ScanJobs } from '../../core/api/scan-jobs.js';
import { createReportLinker, type ReportLinker } from '../../core/api/sign-report-link.js';
import { storeBaselineVersions } from '../../core/api/store-baseline-versions.js';
import { createEntraVerifier } from '../../core/api/verify-entra-token.js';
import type { Clock } from '../../core/clock.js';
import { parseDuration } from '../../core/commands/parse-duration.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import type { BotHost, MountedAdapter } from '../bot-host.js';
import { API_PREFIX, serveApi } from './serve-api.js';
import { REPORTS_PREFIX, type RenderPage, serveReportPage } from './serve-report-page.js';

/** What the API and report pages need besides the host. */
export interface ApiMountOptions {
  /** `DRIFTWATCH_LINK_SECRET`: without it no report page is served (links cannot be checked). */
  linkSecret?: string;
  /** Renders a report page (the report page renderer); pages are served only with one. */
  render?: RenderPage;
  /** Fetch for the Entra metadata and keys (tests: a local OpenID server over plain fetch). */
  fetch?: typeof fetch;
  /** Baseline versions and restore (default: over the store's baseline history). */
  baselines?: BaselineVersionsPort;
}

/** The mounted API: its scan jobs (wait for them on shutdown and in tests). */
export interface MountedApi extends MountedAdapter {
  jobs: ScanJobs;
}

/**
 * Mounts the results API at `/api/v1/` and, with a link secret, the report pages at `/reports/`
 * on the host's server.
 *
 * @example
 * const api = mountApi(host, { linkSecret: env.DRIFTWATCH_LINK_SECRET, render });
 */
export function mountApi(
  host: Pick<BotHost, 'http' | 'store' | 'config' | 'clock' | 'scan' | 'remediation'> &
    Partial<Pick<BotHost, 'log'>>,
  options: ApiMountOptions = {},
): MountedApi {
  const { store, config, clock } = host;
  const jobs = createScanJobs({ store, scan: host.scan, clock });
  const entra = config.api?.entra
    ? createEntraVerifier(config.api.entra, {
        clock,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    : undefined;
  let openapi: unknown;
  const handle = createApiRequestHandler({
    routes: API_ROUTES,
    deps: {
      store,
      config,
      clock,
      scan: host.scan,
      jobs,
      baselines: options.baselines ?? storeBaselineVersions(store),
      ...(host.remediation ? { remediation: host.remediation } : {}),
      pagePath: REPORTS_PREFIX.slice(0, -1),
    },
    authenticate: createAuthenticator(config.api, entra),
    onServerError: (error, request) =>
      host.log?.error(
        {
          error: describeError(error),
          method: request.method,
          path: `${API_PREFIX}${request.path}`,
        },
        'api request failed',
      ),
    openapi: () => {
      openapi ??= buildOpenApiDocument(API_ROUTES, { version: '1.0.0' });
      return openapi;
    },
  });
  host.http.mount(`${API_PREFIX}/`, serveApi(handle));
  if (options.linkSecret && options.render) {
    host.http.mount(
      REPORTS_PREFIX,
      serveReportPage({ secret: options.linkSecret, clock, render: options.render }),
    );
  }
  return { jobs, close: () => jobs.idle() };
}

/**
 * Signed "View full report" links for summaries: with a link secret and `chat.reportUrl` (the
 * public address of `/reports`), valid for `api.linkTtl` (default 7 days). Undefined otherwise,
 * and summaries then carry the plain `chat.reportUrl` link, if any.
 */
export function createBotReportLinker(
  config: DriftwatchConfig,
  secret: string | undefined,
  clock: Clock,
): ReportLinker | undefined {
  const baseUrl = config.chat?.reportUrl;
  if (!secret || !baseUrl) return undefined;
  const ttlMs = parseDuration(config.api?.linkTtl ?? '7d') ?? 7 * 86_400_000;
  return createReportLinker({ baseUrl, secret, ttlMs }, clock);
}
