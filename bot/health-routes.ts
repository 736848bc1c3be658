import type { CustomRoute } from '@slack/bolt';
import type { BotMetrics } from './bot-metrics.js';

/**
 * `/healthz` (the process answers), `/readyz` (the store answers; 503 otherwise) and `/metrics`
 * (Prometheus text format), served by the same HTTP server as `/slack/events`.
 */
export function healthRoutes(options: {
  metrics: BotMetrics;
  ready: () => Promise<boolean>;
}): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        void options
          .ready()
          .catch(() => false)
          .then((ok) => {
            res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
            res.end(ok ? '{"status":"ready"}' : '{"status":"store unavailable"}');
          });
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        void options.metrics.registry.metrics().then((text) => {
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
          res.end(text);
        });
      },
    },
  ];
}
