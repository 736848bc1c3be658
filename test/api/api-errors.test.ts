import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotLogger } from '../../bot/bot-logger.js';
import { API_ERROR_CODES, ApiError } from '../../core/api/api-error.js';
import { API_ROUTES } from '../../core/api/api-routes.js';
import { type ApiHarness, KEYS, startApiHarness } from './api-harness.js';

describe('results API errors and the OpenAPI document', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['no header', undefined, 'no credentials'],
    ['an unknown key', 'dwk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'unknown API key'],
    [
      'a token while Entra is not configured',
      'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
      'Entra ID tokens are not accepted here',
    ],
  ])(
    'answers 401 for %s, with WWW-Authenticate and no echo of the credential',
    async (_case, key, text) => {
      const { status, body, headers } = await h.call('GET', '/api/v1/drift/summary', {
        ...(key ? { key } : {}),
      });
      expect(status).toBe(401);
      expect(body.error.code).toBe('unauthenticated');
      expect(body.error.message).toContain(text);
      expect(headers.get('www-authenticate')).toBe('Bearer realm="driftwatch"');
      if (key) expect(JSON.stringify(body)).not.toContain(key);
    },
  );

  it.each([
    [
      'severity=urgent',
      'severity',
      'severity: expected one or more of critical, high, medium, low, info, separated by commas',
    ],
    [
      'change=moved',
      'change',
      'change: expected one or more of added, removed, modified, unknown, separated by commas',
    ],
    [
      'resourceType=storage',
      'resourceType',
      'resourceType: expected one or more resource types such as Microsoft.Network/networkSecurityGroups, separated by commas',
    ],
    [
      'since=yesterday',
      'since',
      'since: expected an ISO 8601 date-time such as 2026-11-21T09:00:00Z',
    ],
    [
      'until=2026-13-01',
      'until',
      'until: expected an ISO 8601 date-time such as 2026-11-21T09:00:00Z',
    ],
    [
      'since=2026-11-22T00:00:00Z&until=2026-11-21T00:00:00Z',
      'since',
      'since: must not be later than until',
    ],
    ['limit=0', 'limit', 'limit: expected a whole number from 1 to 200'],
    ['limit=500', 'limit', 'limit: expected a whole number from 1 to 200'],
    ['limit=ten', 'limit', 'limit: expected a whole number from 1 to 200'],
    ['cursor=bm9wZQ', 'cursor', 'cursor: expected the nextCursor of a previous page, unchanged'],
    [
      'scope=pr%20od',
      'scope',
      'scope: expected one or more scope names (letters, digits, ".", "_", "-"), separated by commas',
    ],
    [
      'colour=red',
      'colour',
      'unknown parameter "colour": valid parameters are scope, severity, change, resourceType, since, until, limit, cursor',
    ],
    [
      'scope=prod&scope=dev',
      'scope',
      'scope: give it once (a comma-separated list where lists are allowed)',
    ],
  ])('GET /drift/results?%s is 400 naming %s', async (query, parameter, message) => {
    const { status, body } = await h.call('GET', `/api/v1/drift/results?${query}`, {
      key: KEYS.admin,
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad-parameter', parameter, message } });
  });

  it.each([
    [
      'GET',
      '/api/v1/drift/results/x!',
      'id',
      'id: expected an id of 4 to 64 letters, digits, "_" or "-"',
    ],
    [
      'GET',
      '/api/v1/baselines/bad%20scope/versions',
      'scope',
      'scope: expected a scope name (letters, digits, ".", "_", "-")',
    ],
    [
      'GET',
      '/api/v1/baselines?scope=prod',
      'scope',
      'unknown parameter "scope": this endpoint takes none',
    ],
  ])('%s %s is 400 naming %s', async (method, path, parameter, message) => {
    const { status, body } = await h.call(method, path, { key: KEYS.admin });
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad-parameter', parameter, message } });
  });

  it.each([
    [{}, 'scope', 'scope: expected the name of a configured scope'],
    [{ scope: 'prod', when: 'now' }, 'when', 'unknown field "when": valid fields are scope'],
    [{ scope: 'nope' }, 'scope', 'scope: unknown scope "nope"; known scopes: dev, prod, staging'],
  ])('POST /scans with %j is 400 naming %s', async (sent, parameter, message) => {
    const { status, body } = await h.call('POST', '/api/v1/scans', { key: KEYS.admin, body: sent });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ parameter, message });
    expect(['bad-body', 'bad-parameter']).toContain(body.error.code);
  });

  it('refuses a body that is not JSON, not declared JSON, or too large', async () => {
    const broken = await h.call('POST', '/api/v1/scans', { key: KEYS.admin, rawBody: '{"scope":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toEqual({ code: 'bad-body', message: 'the body is not valid JSON' });
    const text = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      rawBody: 'scope=prod',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.body.error.message).toBe(
      'send the body as JSON with Content-Type: application/json',
    );
    const huge = await h.call('POST', '/api/v1/scans', {
      key: KEYS.admin,
      body: { scope: 'x'.repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload-too-large');
  });

  it('answers unknown routes with 404 JSON and a wrong method with 405 and Allow', async () => {
    const unknown = await h.call('GET', '/api/v1/drift/nothing', { key: KEYS.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: {
        code: 'route-not-found',
        message: 'no endpoint /api/v1/drift/nothing; GET /api/v1/openapi.json lists them',
      },
    });
    const wrong = await h.call('PUT', '/api/v1/drift/summary', { key: KEYS.admin });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.body.error.code).toBe('method-not-allowed');
  });

  it('refuses a change to a read-only key before reading anything', async () => {
    const { status, body } = await h.call('DELETE', '/api/v1/drift/results/abcdabcd', {
      key: KEYS.prodReader,
    });
    expect(status).toBe(403);
    expect(body.error.message).toBe(
      'api-key:prod-reader has read access only; DELETE /drift/results/{id} needs change (admin) access',
    );
  });

  it('serves the generated OpenAPI 3.1 document with every endpoint, without credentials', async () => {
    const { status, body } = await h.call('GET', '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const operations = Object.entries(
      body.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => `${m.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(operations.sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort(),
    );
    const list = body.paths['/drift/results'].get;
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'query:scope',
      'query:severity',
      'query:change',
      'query:resourceType',
      'query:since',
      'query:until',
      'query:limit',
      'query:cursor',
    ]);
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['ResultPage', 'DriftResult', 'Finding', 'ScanJob', 'Error']),
    );
    expect(body.paths['/scans'].post.requestBody.required).toBe(true);
    expect(body.paths['/remediations/{id}/approve'].post.requestBody.required).toBe(false);
    expect(body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('answers an unexpected failure with 500 internal and logs it once, redacted', async () => {
    const lines: string[] = [];
    const failing = await startApiHarness({
      remediation: {
        list: async () => {
          throw new Error('backend said no (token=abc123secretvalue)');
        },
      } as never,
      log: createBotLogger({
        destination: new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      }),
    });
    try {
      const { status, body } = await failing.call('GET', '/api/v1/remediations', {
        key: KEYS.admin,
      });
      expect(status).toBe(500);
      expect(body).toEqual({ error: { code: 'internal', message: 'internal error' } });
      const logged = lines.filter((l) => l.includes('api request failed'));
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({
        method: 'GET',
        path: '/api/v1/remediations',
        error: 'backend said no (token=***',
      });
    } finally {
      await failing.close();
    }
  });

  it('has one stable code per error family, each answered with its documented HTTP status', () => {
    // The published contract, written out here rather than read from the production table.
    const expected: [string, number][] = [
      ['bad-parameter', 400],
      ['bad-body', 400],
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['not-found', 404],
      ['route-not-found', 404],
      ['method-not-allowed', 405],
      ['conflict', 409],
      ['payload-too-large', 413],
      ['not-configured', 501],
      ['store-unavailable', 503],
      ['auth-unavailable', 503],
      ['internal', 500],
    ];
    expect(API_ERROR_CODES).toEqual(expected.map(([code]) => code));
    expect(API_ERROR_CODES.map((code) => [code, new ApiError(code, 'refused').status])).toEqual(
      expected,
    );
  });
});
