import { afterEach, describe, expect, it } from 'vitest';
import { collectScope } from '../../core/collect/collect-scope.js';
import type { CollectStats } from '../../core/collect/collect-stats.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import {
  type ArmSimulator,
  type ArmSimulatorOptions,
  startArmSimulator,
} from '../sim/arm/start-arm-simulator.js';
import { fakeEstate, SUB_A, SUB_B } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

const byId = (a: ArmResource, b: ArmResource) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);
const graphShape = (r: ArmResource) =>
  r.type === 'Microsoft.Web/sites/config' ? r : { ...r, type: r.type?.toLowerCase() };
const expectedFor = (via: 'arm' | 'graph', estate: ArmResource[]) =>
  [...estate].sort(byId).map((r) => (via === 'graph' ? graphShape(r) : r));

describe('collectScope under throttling and faults', () => {
  let sim: ArmSimulator;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  async function collect(
    options: ArmSimulatorOptions,
    via: 'arm' | 'graph',
    tuning = {},
    setup?: (sim: ArmSimulator) => void,
  ) {
    sim = await startArmSimulator(options);
    setup?.(sim);
    const { endpoints, credential, httpClient } = simConnection(sim);
    let stats: CollectStats | undefined;
    const snapshot: Snapshot = await collectScope({
      target: { name: 'test', subscriptions: [SUB_A] },
      credential,
      endpoints,
      httpClient,
      via,
      tuning: { ...FAST_TUNING, ...tuning },
      onProgress: (p) => {
        stats = p.stats;
      },
    });
    return { snapshot, stats: stats as CollectStats };
  }

  it.each(['arm', 'graph'] as const)(
    'collects exactly the estate despite 5xx, drops, timeouts and tight limits (%s)',
    async (via) => {
      const estate = fakeEstate(SUB_A, 60);
      const limits = {
        armReads: { burst: 10, refillPerSecond: 400 },
        graph: { queries: 3, windowMs: 300 },
      };

      const { snapshot, stats } = await collect(
        { resources: estate, limits, seed: 7 },
        via,
        { armReads: limits.armReads, graphPageSize: 10, maxRetries: 8, timeoutMs: 300 },
        (s) => s.faults.set({ error: 0.08, status: 503, drop: 0.04, timeout: 0.03 }),
      );

      expect(snapshot.errors).toEqual([]);
      expect(snapshot.complete).toBe(true);
      expect(snapshot.resources).toEqual(expectedFor(via, estate));
      expect(stats.failed).toBe(0);
      expect(stats.attempts).toBeGreaterThan(stats.requests);
    },
  );

  it('paces ARM reads so the token bucket never answers 429', async () => {
    const estate = fakeEstate(SUB_A, 40);
    const armReads = { burst: 8, refillPerSecond: 100 };

    const { snapshot, stats } = await collect(
      { resources: estate, limits: { armReads } },
      'arm',
      { armReads: { ...armReads, marginTokens: 2 } },
      (s) => s.faults.set({ latencyMs: { min: 2, max: 8 } }),
    );

    expect(snapshot.resources).toHaveLength(estate.length);
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(stats.throttled).toBe(0);
    expect(stats.paceWaits).toBeGreaterThan(0);
  });

  it('waits Retry-After on a 429 it could not avoid, and loses nothing', async () => {
    const estate = fakeEstate(SUB_A, 6);

    const { snapshot, stats } = await collect({ resources: estate }, 'arm', {}, (s) => {
      s.faults.add({
        match: /storageAccounts\/st2\?/,
        action: { kind: 'status', status: 429, headers: { 'retry-after-ms': '30' } },
        times: 1,
      });
    });

    expect(snapshot.resources).toEqual(expectedFor('arm', estate));
    expect(stats.throttled).toBe(1);
    expect(stats.failed).toBe(0);
  });

  it('records a resource that keeps failing in errors, and only that one', async () => {
    const estate = fakeEstate(SUB_A, 6);
    const broken = estate[3] as ArmResource;

    const { snapshot } = await collect({ resources: estate }, 'arm', { maxRetries: 2 }, (s) =>
      s.faults.add({
        match: /storageAccounts\/st3\?/,
        action: { kind: 'status', status: 500, code: 'InternalServerError' },
        times: 100,
      }),
    );

    expect(snapshot.complete).toBe(false);
    expect(snapshot.errors).toEqual([
      {
        id: broken.id,
        resourceType: 'Microsoft.Storage/storageAccounts',
        code: 'azure.unavailable',
        status: 500,
        message: 'Azure answered 500 after retries (InternalServerError)',
      },
    ]);
    expect(snapshot.resources).toEqual(
      expectedFor(
        'arm',
        estate.filter((r) => r !== broken),
      ),
    );
    expect(sim.requests.filter((r) => r.url.includes('/st3?')).map((r) => r.status)).toEqual([
      500, 500, 500,
    ]);
  });

  it('records child configuration it may not read as an error, naming the permission', async () => {
    const estate = fakeEstate(SUB_A, 2);
    const configWeb = estate.find((r) => r.type === 'Microsoft.Web/sites/config') as ArmResource;

    const { snapshot } = await collect({ resources: estate }, 'graph', {}, (s) =>
      s.forbid(configWeb.id),
    );

    expect(snapshot.errors).toEqual([
      {
        id: configWeb.id,
        resourceType: 'Microsoft.Web/sites/config',
        code: 'auth.forbidden',
        status: 403,
        message:
          'missing permission Microsoft.Web/sites/config/read (the built-in Reader role grants it)',
      },
    ]);
    expect(snapshot.resources.map((r) => r.id)).not.toContain(configWeb.id);
  });

  it('records the whole subscription when a Resource Graph page fails, keeping pages already read', async () => {
    const estate = fakeEstate(SUB_A, 6);

    const { snapshot } = await collect(
      { resources: estate },
      'graph',
      { graphPageSize: 2, maxRetries: 1 },
      (s) =>
        s.faults.add({
          match: /^POST .*ResourceGraph/,
          action: { kind: 'status', status: 503 },
          after: 1,
          times: 100,
        }),
    );

    expect(snapshot.complete).toBe(false);
    expect(snapshot.errors).toEqual([
      {
        id: `/subscriptions/${SUB_A}`,
        code: 'azure.unavailable',
        status: 503,
        message: 'Resource Graph query: Azure answered 503 after retries (ServiceUnavailable)',
      },
    ]);
    expect(snapshot.resources.map((r) => r.name)).toEqual(['st1', 'st3']);
  });

  it.each(['arm', 'graph'] as const)(
    'records a subscription it cannot reach as unreadable and collects the others (%s)',
    async (via) => {
      const estate = [...fakeEstate(SUB_A, 2), ...fakeEstate(SUB_B, 2)];
      sim = await startArmSimulator({ resources: estate });
      sim.faults.add({
        match: new RegExp(`^GET /subscriptions/${SUB_B}\\?`),
        action: { kind: 'status', status: 503 },
        times: 100,
      });
      const { endpoints, credential, httpClient } = simConnection(sim);

      const snapshot = await collectScope({
        target: { name: 'two', subscriptions: [SUB_A, SUB_B] },
        credential,
        endpoints,
        httpClient,
        via,
        tuning: { ...FAST_TUNING, maxRetries: 1 },
      });

      expect(snapshot.errors).toEqual([
        {
          id: `/subscriptions/${SUB_B}`,
          code: 'azure.unavailable',
          status: 503,
          message: `subscription ${SUB_B}: Azure answered 503 after retries (ServiceUnavailable)`,
        },
      ]);
      expect(snapshot.resources).toEqual(expectedFor(via, fakeEstate(SUB_A, 2)));
    },
  );

  it('records a malformed response as an error for that resource', async () => {
    const estate = fakeEstate(SUB_A, 2);
    const target = estate[1] as ArmResource;

    const { snapshot } = await collect({ resources: estate }, 'arm', {}, (s) =>
      s.faults.add({ match: /storageAccounts\/st1\?/, action: { kind: 'malformed' } }),
    );

    expect(snapshot.errors.map((e) => [e.id, e.code])).toEqual([
      [target.id, 'azure.malformed-response'],
    ]);
  });

  it.each(['arm', 'graph'] as const)(
    'records a resource nested deeper than the limit as unknown, naming the limit, and reads the rest (%s)',
    async (via) => {
      const estate = fakeEstate(SUB_A, 2);
      const target = estate[1] as ArmResource;
      const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
      const hostile = { ...target, properties: { nested: deep(150) } };

      const { snapshot } = await collect({ resources: [estate[0] as ArmResource, hostile] }, via);

      const source = via === 'arm' ? 'the ARM response' : 'the Resource Graph row';
      expect(
        snapshot.errors.map((e) => [e.id, e.code, e.message.replace(/ at .*;/, ' at …;')]),
      ).toEqual([
        [
          target.id,
          'input.too-deep',
          `${source}: nested more than 100 levels deep at …; driftwatch reads at most 100 levels (real ARM resources nest far less)`,
        ],
      ]);
      expect(snapshot.complete).toBe(false);
      expect(snapshot.resources.map((r) => r.id)).toEqual([(estate[0] as ArmResource).id]);
    },
  );

  it('opens the circuit after repeated failures and stops hammering the endpoint', async () => {
    const estate = fakeEstate(SUB_A, 6).filter(
      (r) => r.type === 'Microsoft.Storage/storageAccounts',
    );

    const { snapshot } = await collect(
      { resources: estate },
      'arm',
      { maxRetries: 0, concurrency: 1, breaker: { threshold: 3, cooldownMs: 60_000 } },
      (s) =>
        s.faults.add({
          match: /storageAccounts\/st\d\?/,
          action: { kind: 'status', status: 503 },
          times: 100,
        }),
    );

    expect(snapshot.errors.map((e) => e.code)).toEqual([
      'azure.unavailable',
      'azure.unavailable',
      'azure.unavailable',
      'azure.circuit-open',
      'azure.circuit-open',
      'azure.circuit-open',
    ]);
    expect(sim.requests.filter((r) => r.url.includes('storageAccounts/st'))).toHaveLength(3);
  });
});
