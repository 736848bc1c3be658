import { afterEach, describe, expect, it } from 'vitest';
import { collectScope } from '../../core/collect/collect-scope.js';
import type { CollectProgress } from '../../core/collect/collect-scope-types.js';
import { retriesOf } from '../../core/collect/collect-stats.js';
import type { CollectTuning } from '../../core/collect/create-azure-clients.js';
import type { ArmResource } from '../../core/model/resource.js';
import {
  type ArmSimulator,
  type ArmSimulatorOptions,
  startArmSimulator,
} from '../sim/arm/start-arm-simulator.js';
import { fakeEstate, SUB_A } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

const byId = (a: ArmResource, b: ArmResource) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);
const isArm = (url: string) => !/\/oauth2\/|\/\.well-known\//.test(url);

describe('collectScope within ARM budgets', () => {
  let sim: ArmSimulator;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  async function collect(
    options: ArmSimulatorOptions,
    tuning: Partial<CollectTuning>,
    extra: {
      signal?: AbortSignal;
      via?: 'arm' | 'graph';
      setup?: (sim: ArmSimulator) => void;
    } = {},
  ) {
    sim = await startArmSimulator(options);
    sim.faults.set({ latencyMs: { min: 2, max: 8 } });
    extra.setup?.(sim);
    const { endpoints, credential, httpClient } = simConnection(sim);
    const events: CollectProgress[] = [];
    const started = performance.now();
    const snapshot = await collectScope({
      target: { name: 'test', subscriptions: [SUB_A] },
      credential,
      endpoints,
      httpClient,
      via: extra.via ?? 'arm',
      tuning: { ...FAST_TUNING, ...tuning },
      onProgress: (p) => events.push(p),
      ...(extra.signal ? { signal: extra.signal } : {}),
    });
    return { snapshot, events, wallMs: performance.now() - started };
  }

  it('collects the whole estate with under 2 % 429s when the bucket refills at a fifth of the documented rate', async () => {
    // Scaled: documented burst 50 and 250 reads/s; the principal's bucket gives 50/s, as when
    // other clients signed in as the same principal take the rest.
    const estate = fakeEstate(SUB_A, 300);

    const { snapshot } = await collect(
      { resources: estate, limits: { armReads: { burst: 50, refillPerSecond: 50 } } },
      { armReads: { burst: 50, refillPerSecond: 250, marginTokens: 3 } },
    );

    const requests = sim.requests.filter((r) => isArm(r.url));
    const throttled = requests.filter((r) => r.status === 429).length;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.resources).toEqual([...estate].sort(byId));
    expect(throttled / requests.length).toBeLessThan(0.02);
  }, 60_000);

  it('waits out 429s on one resource more often than maxRetries and still reads it', async () => {
    const estate = fakeEstate(SUB_A, 4);
    sim = await startArmSimulator({ resources: estate });
    sim.faults.add({
      match: /storageAccounts\/st2\?/,
      action: { kind: 'status', status: 429, headers: { 'retry-after-ms': '20' } },
      times: 6,
    });
    const { endpoints, credential, httpClient } = simConnection(sim);

    const snapshot = await collectScope({
      target: { name: 'test', subscriptions: [SUB_A] },
      credential,
      endpoints,
      httpClient,
      via: 'arm',
      tuning: { ...FAST_TUNING, maxRetries: 2 },
    });

    expect(snapshot.errors).toEqual([]);
    expect(snapshot.resources).toEqual([...estate].sort(byId));
    expect(sim.requests.filter((r) => /storageAccounts\/st2\?/.test(r.url)).length).toBe(7);
  });

  it("emits no MaxListenersExceededWarning while many requests wait on the scan's signal", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const controller = new AbortController();

    try {
      await collect(
        {
          resources: fakeEstate(SUB_A, 80),
          limits: { armReads: { burst: 5, refillPerSecond: 400 } },
        },
        { concurrency: 16, armReads: { burst: 5, refillPerSecond: 400, marginTokens: 1 } },
        { signal: controller.signal },
      );
      // Warnings are emitted on the next tick.
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off('warning', onWarning);
    }

    expect(warnings).toEqual([]);
  });

  it('reports retries that never go negative and paced time that is wall-clock time', async () => {
    const { events, wallMs } = await collect(
      {
        resources: fakeEstate(SUB_A, 80),
        limits: { armReads: { burst: 5, refillPerSecond: 300 } },
      },
      { concurrency: 16, armReads: { burst: 5, refillPerSecond: 300, marginTokens: 1 } },
    );

    const last = events.at(-1) as CollectProgress;
    expect(Math.min(...events.map((e) => retriesOf(e.stats)))).toBe(0);
    expect(last.stats.paceWaits).toBeGreaterThan(16);
    // Sixteen requests held together for 10 ms are 10 ms paced, not 160 ms.
    expect(last.stats.paceWaitMs).toBeGreaterThan(0);
    expect(last.stats.paceWaitMs).toBeLessThanOrEqual(wallMs);
  });

  it.each(['arm', 'graph'] as const)(
    'reads a listed child resource (sites/config) once, not again as child configuration (%s)',
    async (via) => {
      const estate = fakeEstate(SUB_A, 2);
      // As some services do: the list and Resource Graph also return the sites/config child.
      const listChildren = (s: ArmSimulator) => s.estate.hiddenTypes.clear();

      const { snapshot } = await collect({ resources: estate }, {}, { via, setup: listChildren });

      const configReads = sim.requests.filter(
        (r) => r.method === 'GET' && /\/sites\/app1\/config\/web\?/i.test(r.url),
      );
      expect(snapshot.complete).toBe(true);
      expect(snapshot.resources.map((r) => r.id)).toContain(
        `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app1/config/web`,
      );
      // Listed by ARM: one GET by id. Returned by Resource Graph: the row is the read, no GET.
      expect(configReads.length).toBe(via === 'arm' ? 1 : 0);
    },
  );
});
