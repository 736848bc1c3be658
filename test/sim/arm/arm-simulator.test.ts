import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeEstate, SUB_A } from '../../collect/fake-estate.js';
import { simWrites } from './sim-writes.js';
import {
  type ArmSimulator,
  type ArmSimulatorOptions,
  startArmSimulator,
} from './start-arm-simulator.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** A raw HTTPS call that trusts the simulator's certificate. */
function call(
  sim: ArmSimulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const token = options.token === undefined ? sim.authority.issue() : options.token;
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}${path}`,
      {
        method,
        ca: sim.caPem,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          'content-type': 'application/json',
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

const estate = fakeEstate(SUB_A, 2);
const st0 = estate[0]?.id as string;

describe('ARM simulator', () => {
  let sim: ArmSimulator;
  const start = async (options: ArmSimulatorOptions = {}) => {
    sim = await startArmSimulator({
      resources: estate,
      apiVersions: { 'Microsoft.Storage/storageAccounts': ['2023-05-01', '2024-01-01'] },
      ...options,
    });
  };
  afterEach(async () => {
    await sim.close();
  });

  it('fails loudly on a request it does not understand', async () => {
    await start();

    const reply = await call(
      sim,
      'GET',
      `/subscriptions/${SUB_A}/resources?api-version=2021-04-01&$orderby=name`,
    );

    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('SimulatorDoesNotUnderstand');
    expect(sim.unexpected).toEqual([
      `GET /subscriptions/${SUB_A}/resources?api-version=2021-04-01&$orderby=name: list parameter $orderby`,
    ]);
  });

  it.each([
    [null, 'AuthenticationFailed'],
    ['not-a-token', 'InvalidAuthenticationToken'],
  ])('answers 401 to bearer %s', async (token, code) => {
    await start();

    const reply = await call(sim, 'GET', `${st0}?api-version=2024-01-01`, { token });

    expect(reply.status).toBe(401);
    expect(reply.body.error?.code).toBe(code);
  });

  it('checks the api-version of a resource GET and names the supported ones', async () => {
    await start();

    const reply = await call(sim, 'GET', `${st0}?api-version=2019-01-01`);

    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      code: 'NoRegisteredProviderFound',
      message:
        "No registered resource provider found for location 'westus' and API version '2019-01-01' for type 'storageAccounts'. The supported api-versions are '2023-05-01, 2024-01-01'.",
    });
  });

  it("throttles reads with ARM's headers and 429 + Retry-After", async () => {
    await start({ limits: { armReads: { burst: 3, refillPerSecond: 0.5 } } });
    const token = sim.authority.issue();

    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(await call(sim, 'GET', `${st0}?api-version=2024-01-01`, { token }));

    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(replies.map((r) => r.headers['x-ms-ratelimit-remaining-subscription-reads'])).toEqual([
      '2',
      '1',
      '0',
      '0',
    ]);
    expect(replies[0]?.headers['x-ms-ratelimit-remaining-subscription-global-reads']).toBe('44');
    expect(replies[3]?.headers['retry-after']).toBe('2');
    expect(replies[3]?.body.error?.code).toBe('SubscriptionRequestsThrottled');
  });

  it("enforces Resource Graph's user quota with its headers", async () => {
    await start({ limits: { graph: { queries: 2, windowMs: 5_000 } } });
    const token = sim.authority.issue();
    const query = () =>
      call(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01', {
        token,
        body: { subscriptions: [SUB_A], query: 'resources | order by id asc' },
      });

    const replies = [await query(), await query(), await query()];

    expect(
      replies.map((r) => [
        r.status,
        r.headers['x-ms-user-quota-remaining'],
        r.headers['x-ms-user-quota-resets-after'],
      ]),
    ).toEqual([
      [200, '1', '00:00:05'],
      [200, '0', '00:00:05'],
      [429, '0', '00:00:05'],
    ]);
    expect(replies[0]?.body).toMatchObject({ totalRecords: 3, count: 3, resultTruncated: 'false' });
  });

  it('writes with If-Match etags: 412 on a stale etag, a new etag on success', async () => {
    await start();
    const current = (await call(sim, 'GET', `${st0}?api-version=2024-01-01`)).body;
    const first = await call(sim, 'PUT', `${st0}?api-version=2024-01-01`, { body: current });
    const etag = first.headers.etag as string;

    const stale = await call(sim, 'PATCH', `${st0}?api-version=2024-01-01`, {
      body: { properties: { allowBlobPublicAccess: true } },
      headers: { 'if-match': 'W/"stale"' },
    });
    const fresh = await call(sim, 'PATCH', `${st0}?api-version=2024-01-01`, {
      body: { properties: { allowBlobPublicAccess: true } },
      headers: { 'if-match': etag },
    });

    expect(stale.status).toBe(412);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).not.toBe(etag);
    expect(sim.estate.get(st0)?.properties).toEqual({
      ...estate[0]?.properties,
      allowBlobPublicAccess: true,
    });
    expect(sim.estate.get(st0)?.etag).toBe(fresh.headers.etag);
  });

  it.each([
    ['lro' as const, 'Succeeded', true],
    ['lro-fail' as const, 'Failed', false],
  ])(
    'answers a write in %s mode with 202 and Azure-AsyncOperation, InProgress polls, then %s',
    async (mode, status, written) => {
      await start();
      const writes = simWrites(sim.estate);
      writes.mode = mode;
      writes.pollsBeforeDone = 1;
      writes.retryAfterSeconds = 3;
      const etag = (await call(sim, 'GET', `${st0}?api-version=2024-01-01`)).headers.etag as string;

      const accepted = await call(sim, 'PATCH', `${st0}?api-version=2024-01-01`, {
        body: { properties: { allowBlobPublicAccess: true } },
        headers: { 'if-match': etag },
      });
      const operation = new URL(String(accepted.headers['azure-asyncoperation']));
      const poll = () => call(sim, 'GET', `${operation.pathname}${operation.search}`);
      const [first, second] = [await poll(), await poll()];

      expect(accepted.status).toBe(202);
      expect(accepted.headers['retry-after']).toBe('3');
      expect(operation.pathname).toMatch(
        new RegExp(`^/subscriptions/${SUB_A}/providers/Microsoft\\.Resources/simulatorOperations/`),
      );
      expect([first.status, first.body.status, first.headers['retry-after']]).toEqual([
        200,
        'InProgress',
        '3',
      ]);
      expect([second.status, second.body.status]).toEqual([200, status]);
      expect(second.body.error?.code).toBe(written ? undefined : 'InternalServerError');
      expect(sim.estate.get(st0)?.properties?.allowBlobPublicAccess).toBe(
        written ? true : estate[0]?.properties?.allowBlobPublicAccess,
      );
      expect(writes.applies.map((a) => [a.method, a.ifMatch])).toEqual([['PATCH', etag]]);
    },
  );

  it('refuses a stale If-Match with 412 before accepting a long-running write, and a read-only identity with 403', async () => {
    await start();
    const writes = simWrites(sim.estate);
    writes.mode = 'lro';
    writes.readOnlyPrincipals.add('reader');

    const stale = await call(sim, 'PATCH', `${st0}?api-version=2024-01-01`, {
      body: { properties: { allowBlobPublicAccess: true } },
      headers: { 'if-match': 'W/"stale"' },
    });
    const forbidden = await call(sim, 'PATCH', `${st0}?api-version=2024-01-01`, {
      token: sim.authority.issue('reader'),
      body: { properties: { allowBlobPublicAccess: true } },
    });

    expect([stale.status, stale.body.error?.code]).toEqual([412, 'PreconditionFailed']);
    expect([forbidden.status, forbidden.body.error?.code]).toEqual([403, 'AuthorizationFailed']);
    expect(forbidden.body.error?.message).toContain(
      "does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write'",
    );
    expect(writes.applies).toEqual([]);
    expect(sim.estate.get(st0)?.properties).toEqual(estate[0]?.properties);
  });

  it('drops the connection when told to', async () => {
    await start();
    sim.faults.add({ match: /st0/, action: { kind: 'drop' } });

    await expect(call(sim, 'GET', `${st0}?api-version=2024-01-01`)).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  });
});

describe('ARM simulator change feeds (list $expand=changedTime, resourcechanges)', () => {
  let sim: ArmSimulator;
  let clock = Date.parse('2026-11-27T10:00:00.000Z');
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });
  const list = async () =>
    (
      await call(
        sim,
        'GET',
        `/subscriptions/${SUB_A}/resources?api-version=2021-04-01&$expand=createdTime,changedTime`,
      )
    ).body.value as Array<{ id: string; createdTime?: string; changedTime?: string }>;
  const changes = async () =>
    (
      await call(
        sim,
        'POST',
        '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01',
        {
          body: {
            subscriptions: [SUB_A],
            query:
              'resourcechanges | where todatetime(properties.changeAttributes.timestamp) between (datetime(2026-11-27T00:00:00.000Z) .. datetime(2026-11-28T00:00:00.000Z)) | order by id asc',
            options: { $top: 1000, resultFormat: 'objectArray' },
          },
        },
      )
    ).body.data as Array<{ properties: { targetResourceId: string; changeType: string } }>;

  it('moves changedTime and records an Update in resourcechanges when a PATCH is accepted', async () => {
    clock = Date.parse('2026-11-27T10:00:00.000Z');
    sim = await startArmSimulator({ resources: estate, now: () => clock });
    clock += 60_000;

    const patched = await call(sim, 'PATCH', `${st0}?api-version=2023-01-01`, {
      body: { tags: { env: 'patched' } },
    });

    expect(patched.status).toBe(200);
    const byId = new Map((await list()).map((r) => [r.id, r]));
    expect(byId.get(st0)).toMatchObject({
      createdTime: '2026-11-27T10:00:00.000Z',
      changedTime: '2026-11-27T10:01:00.000Z',
    });
    expect(byId.get(estate[1]?.id as string)?.changedTime).toBe('2026-11-27T10:00:00.000Z');
    expect(
      (await changes()).map((c) => [c.properties.targetResourceId, c.properties.changeType]),
    ).toEqual([[st0, 'Update']]);
  });

  it('lists no changedTime unless asked with $expand, as ARM does', async () => {
    sim = await startArmSimulator({ resources: estate });

    const reply = await call(
      sim,
      'GET',
      `/subscriptions/${SUB_A}/resources?api-version=2021-04-01`,
    );

    expect((reply.body.value as Array<Record<string, unknown>>)[0]).not.toHaveProperty(
      'changedTime',
    );
  });

  it('records deletes and creates made through the estate as Azure would', async () => {
    sim = await startArmSimulator({ resources: estate, now: () => clock });

    sim.estate.delete(st0);
    sim.estate.write({ ...(estate[1] as { id: string }), id: `${estate[1]?.id}x`, name: 'x' });

    expect(
      (await changes()).map((c) => [c.properties.targetResourceId, c.properties.changeType]),
    ).toEqual(
      expect.arrayContaining([
        [st0, 'Delete'],
        [`${estate[1]?.id}x`, 'Create'],
      ]),
    );
    expect(await changes()).toHaveLength(2);
  });

  it('re-reads named resources with where id in~', async () => {
    sim = await startArmSimulator({ resources: estate });

    const reply = await call(
      sim,
      'POST',
      '/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01',
      {
        body: {
          subscriptions: [SUB_A],
          query: `resources | where id in~ ('${st0.toUpperCase()}') | order by id asc`,
          options: { $top: 1000, resultFormat: 'objectArray' },
        },
      },
    );

    expect((reply.body.data as Array<{ id: string }>).map((r) => r.id)).toEqual([st0]);
  });
});
