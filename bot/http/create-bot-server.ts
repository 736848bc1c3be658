import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { withCorrelation } from '../bot-logger.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Handles one request on the raw node objects. The handler owns the response: it sets the status
 * and ends it. A rejection becomes a 500 (logged, redacted) when nothing was sent yet.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The bot's one HTTP server: chat adapters, health, metrics, reports and the API are routes on it. */
export interface BotServer {
  /** Answers `method path` exactly (the query string is ignored when matching). */
  route(method: HttpMethod, path: string, handler: RouteHandler): void;
  /**
   * Answers every method for every path under `prefix` (which ends with `/`, e.g. `/reports/`);
   * the handler reads `req.url` and answers 404/405 itself. The longest matching prefix wins; exact
   * routes win over prefixes.
   */
  mount(prefix: string, handler: RouteHandler): void;
  /** Starts listening; resolves with the bound port (port 0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, ends idle keep-alive connections and waits for open requests to finish. */
  close(): Promise<void>;
  readonly server: Server;
}

/**
 * One `node:http` server with a small exact-path router and prefix mounts. Every request runs
 * under a fresh correlation id (see `withCorrelation`), so each adapter's log lines for it share one.
 * Unknown paths get 404, a known path with another method 405 with `Allow`, both as JSON.
 *
 * @example
 * const http = createBotServer({ log });
 * http.route('GET', '/healthz', (_req, res) => void res.end('ok'));
 * await http.listen(3000);
 */
export function createBotServer(options: { log: Logger }): BotServer {
  const routes = new Map<string, Map<string, RouteHandler>>();
  const mounts: { prefix: string; handler: RouteHandler }[] = [];

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    const byMethod = routes.get(path);
    const exact = byMethod?.get(req.method ?? 'GET');
    if (exact) return exact(req, res);
    if (byMethod) {
      res.setHeader('allow', [...byMethod.keys()].join(', '));
      return answerJson(res, 405, { error: `${req.method} is not allowed on ${path}` });
    }
    const mounted = mounts.find((m) => path.startsWith(m.prefix));
    if (mounted) return mounted.handler(req, res);
    return answerJson(res, 404, { error: `no route for ${path}` });
  };

  const server = createServer((req, res) => {
    withCorrelation(() =>
      Promise.resolve()
        .then(() => dispatch(req, res))
        .catch((error: unknown) => {
          options.log.error(
            { error: describeError(error), method: req.method, path: req.url?.split('?')[0] },
            'request handler failed',
          );
          if (!res.headersSent) answerJson(res, 500, { error: 'internal error' });
          else res.destroy();
        }),
    );
  });

  return {
    server,
    route(method, path, handler) {
      if (!path.startsWith('/')) {
        throw new ConfigError('config.route', `route path "${path}" must start with /`);
      }
      const byMethod = routes.get(path) ?? new Map<string, RouteHandler>();
      if (byMethod.has(method)) {
        throw new ConfigError('config.route', `${method} ${path} is already routed`);
      }
      byMethod.set(method, handler);
      routes.set(path, byMethod);
    },
    mount(prefix, handler) {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
        throw new ConfigError('config.route', `mount prefix "${prefix}" must start and end with /`);
      }
      if (mounts.some((m) => m.prefix === prefix)) {
        throw new ConfigError('config.route', `${prefix} is already mounted`);
      }
      mounts.push({ prefix, handler });
      mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections with no request in flight would hold close() open.
        server.closeIdleConnections();
      });
    },
  };
}

/** Sends `body` as JSON with `status`. */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
