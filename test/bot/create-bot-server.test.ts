import { afterEach, describe, expect, it } from 'vitest';
import { correlationIdNow, createBotLogger } from '../../bot/bot-logger.js';
import { createBotMetrics } from '../../bot/bot-metrics.js';
import { registerHealthRoutes } from '../../bot/health-routes.js';
import { answerJson, type BotServer, createBotServer } from '../../bot/http/create-bot-server.js';
import { readJsonBody } from '../../bot/http/read-body.js';
import type { UsageError } from '../../core/errors.js';

type Line = { level: number; msg: string; error?: string; path?: string };

describe('createBotServer', () => {
  const lines: Line[] = [];
  const log = createBotLogger({
    level: 'error',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  let http: BotServer | undefined;
  afterEach(async () => {
    await http?.close();
    lines.length = 0;
  });

  const start = async (setup: (server: BotServer) => void) => {
    http = createBotServer({ log });
    setup(http);
    const port = await http.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${port}`;
  };

  it('routes by method and exact path, ignoring the query string', async () => {
    const url = await start((s) => {
      s.route('GET', '/a', (_req, res) => answerJson(res, 200, { got: 'GET /a' }));
      s.route('POST', '/a', (_req, res) => answerJson(res, 201, { got: 'POST /a' }));
    });

    const get = await fetch(`${url}/a?x=1`);
    const post = await fetch(`${url}/a`, { method: 'POST' });

    expect([get.status, await get.json()]).toEqual([200, { got: 'GET /a' }]);
    expect([post.status, await post.json()]).toEqual([201, { got: 'POST /a' }]);
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path and another method', async () => {
    const url = await start((s) => {
      s.route('GET', '/a', (_req, res) => answerJson(res, 200, {}));
      s.route('POST', '/a', (_req, res) => answerJson(res, 200, {}));
    });

    const missing = await fetch(`${url}/nope`);
    const wrong = await fetch(`${url}/a`, { method: 'DELETE' });

    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no route for /nope' }]);
    expect([wrong.status, wrong.headers.get('allow'), await wrong.json()]).toEqual([
      405,
      'GET, POST',
      { error: 'DELETE is not allowed on /a' },
    ]);
  });

  it('hands every method under a prefix to its mount, the longest prefix first, exact routes before both', async () => {
    const url = await start((s) => {
      s.mount('/api/', (req, res) => answerJson(res, 200, { mount: '/api/', url: req.url }));
      s.mount('/api/v1/', (req, res) => answerJson(res, 200, { mount: '/api/v1/', url: req.url }));
      s.route('POST', '/api/messages', (_req, res) => answerJson(res, 200, { route: 'exact' }));
    });

    const nested = await (await fetch(`${url}/api/v1/runs?page=2`, { method: 'PUT' })).json();
    const outer = await (await fetch(`${url}/api/other`)).json();
    const exact = await (await fetch(`${url}/api/messages`, { method: 'POST' })).json();

    expect(nested).toEqual({ mount: '/api/v1/', url: '/api/v1/runs?page=2' });
    expect(outer).toEqual({ mount: '/api/', url: '/api/other' });
    expect(exact).toEqual({ route: 'exact' });
  });

  it('turns a failing handler into a 500 with a redacted log line, and keeps serving', async () => {
    const url = await start((s) => {
      s.route('GET', '/boom', async () => {
        throw new Error('storage said no');
      });
      s.route('GET', '/ok', (_req, res) => answerJson(res, 200, {}));
    });

    const boom = await fetch(`${url}/boom?token=1`);
    const ok = await fetch(`${url}/ok`);

    expect([boom.status, await boom.json(), ok.status]).toEqual([
      500,
      { error: 'internal error' },
      200,
    ]);
    expect(lines.map((l) => [l.msg, l.error, l.path])).toEqual([
      ['request handler failed', 'storage said no', '/boom'],
    ]);
  });

  it('runs each request under its own correlation id', async () => {
    const url = await start((s) =>
      s.route('GET', '/id', (_req, res) => answerJson(res, 200, { id: correlationIdNow() })),
    );

    const first = (await (await fetch(`${url}/id`)).json()) as { id: string };
    const second = (await (await fetch(`${url}/id`)).json()) as { id: string };

    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.id).not.toBe(second.id);
  });

  it.each([
    [
      'a second handler for the same method and path',
      (s: BotServer) => s.route('GET', '/a', () => undefined),
      'GET /a is already routed',
    ],
    [
      'a path without a leading slash',
      (s: BotServer) => s.route('GET', 'b', () => undefined),
      'route path "b" must start with /',
    ],
    [
      'a prefix without a trailing slash',
      (s: BotServer) => s.mount('/reports', () => undefined),
      'mount prefix "/reports" must start and end with /',
    ],
  ])('refuses %s', (_case, add, message) => {
    http = createBotServer({ log });
    http.route('GET', '/a', () => undefined);

    expect(() => add(http as BotServer)).toThrow(message);
  });
});

describe('registerHealthRoutes', () => {
  let http: BotServer | undefined;
  afterEach(async () => {
    await http?.close();
  });

  it('answers /readyz 503 naming the failing check, 200 when every check passes, with each note', async () => {
    http = createBotServer({ log: createBotLogger({ level: 'silent' }) });
    let storeUp = false;
    const readiness = registerHealthRoutes(http, {
      metrics: createBotMetrics(),
      checks: {
        store: async () => {
          if (!storeUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
          return { ok: true };
        },
      },
    });
    readiness.add('teams', async () => ({ ok: true, note: 'authentication is off' }));
    const url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;

    const down = await fetch(`${url}/readyz`);
    storeUp = true;
    const up = await fetch(`${url}/readyz`);

    expect([down.status, await down.json()]).toEqual([
      503,
      {
        status: 'not ready',
        checks: { store: 'connect ECONNREFUSED 127.0.0.1:6379', teams: 'authentication is off' },
      },
    ]);
    expect([up.status, await up.json()]).toEqual([
      200,
      { status: 'ready', checks: { store: 'ok', teams: 'authentication is off' } },
    ]);
  });
});

describe('readJsonBody', () => {
  let http: BotServer | undefined;
  afterEach(async () => {
    await http?.close();
  });

  it.each([
    ['a JSON body', '{"type":"message"}', 200, { type: 'message' }],
    [
      'a body over the limit',
      `{"text":"${'x'.repeat(64)}"}`,
      413,
      { error: 'the request body is over 32 bytes' },
    ],
    ['a body that is not JSON', 'type=message', 400, { error: 'the request body is not JSON' }],
  ])('answers %s', async (_case, body, status, answer) => {
    http = createBotServer({ log: createBotLogger({ level: 'silent' }) });
    http.route('POST', '/in', async (req, res) => {
      try {
        answerJson(res, 200, await readJsonBody(req, { limitBytes: 32 }));
      } catch (error) {
        const e = error as UsageError;
        answerJson(res, Number(e.details.status), { error: e.message });
      }
    });
    const url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;

    const response = await fetch(`${url}/in`, { method: 'POST', body });

    expect([response.status, await response.json()]).toEqual([status, answer]);
  });
});
