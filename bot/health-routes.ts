import { describeError } from '../core/redact/redact-secrets.js';
import type { BotMetrics } from './bot-metrics.js';
import { answerJson, type BotServer } from './http/create-bot-server.js';

/**
 * One readiness check: `ok: false` makes `/readyz` answer 503; `note` is shown either way (e.g.
 * "authentication is off"), so an operator sees a degraded-but-serving adapter.
 */
export type ReadinessCheck = () => Promise<{ ok: boolean; note?: string }>;

/** Readiness checks by name; adapters add theirs when they mount. */
export interface Readiness {
  add(name: string, check: ReadinessCheck): void;
}

/**
 * `/healthz` (the process answers), `/readyz` (every readiness check passes, 503 otherwise; the
 * body names each check's state) and `/metrics` (Prometheus text format), on the bot's server.
 */
export function registerHealthRoutes(
  http: BotServer,
  options: { metrics: BotMetrics; checks?: Record<string, ReadinessCheck> },
): Readiness {
  const checks = new Map(Object.entries(options.checks ?? {}));
  http.route('GET', '/healthz', (_req, res) => answerJson(res, 200, { status: 'ok' }));
  http.route('GET', '/readyz', async (_req, res) => {
    const results = await Promise.all(
      [...checks].map(async ([name, check]) => {
        const result = await check().catch((error: unknown) => ({
          ok: false,
          note: describeError(error),
        }));
        return [name, result] as const;
      }),
    );
    const ready = results.every(([, r]) => r.ok);
    answerJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(
        results.map(([name, r]) => [name, r.note ?? (r.ok ? 'ok' : 'failing')]),
      ),
    });
  });
  http.route('GET', '/metrics', async (_req, res) => {
    const text = await options.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
    res.end(text);
  });
  return {
    add(name, check) {
      checks.set(name, check);
    },
  };
}
