import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectScope } from '../../core/collect/collect-scope.js';
import type { CollectProgress, CollectTarget } from '../../core/collect/collect-scope-types.js';
import type { ArmResource } from '../../core/model/resource.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { fakeEstate, SUB_A, SUB_B } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

const estate = [...fakeEstate(SUB_A, 6), ...fakeEstate(SUB_B, 3)];
const byId = (a: ArmResource, b: ArmResource) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);
const shaped = (via: 'arm' | 'graph', resources: ArmResource[]) =>
  [...resources]
    .sort(byId)
    .map((r) =>
      via === 'graph' && r.type !== 'Microsoft.Web/sites/config'
        ? { ...r, type: r.type?.toLowerCase() }
        : r,
    );

describe('collectScope', () => {
  let sim: ArmSimulator;
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: estate });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  const collect = (
    via: 'arm' | 'graph',
    target: Partial<CollectTarget>,
    onProgress?: (p: CollectProgress) => void,
  ) => {
    const { endpoints, credential, httpClient } = simConnection(sim);
    return collectScope({
      target: { name: 'test', subscriptions: [SUB_A], ...target },
      credential,
      endpoints,
      httpClient,
      via,
      tuning: FAST_TUNING,
      ...(onProgress ? { onProgress } : {}),
    });
  };

  it.each(['arm', 'graph'] as const)(
    'collects exactly the estate of two subscriptions, child configuration included (%s)',
    async (via) => {
      const snapshot = await collect(via, { subscriptions: [SUB_A, SUB_B] });

      expect(snapshot).toMatchObject({
        schemaVersion: 1,
        scope: 'test',
        complete: true,
        errors: [],
      });
      expect(snapshot.source?.kind).toBe(via === 'arm' ? 'arm' : 'resource-graph');
      expect(snapshot.resources).toEqual(shaped(via, estate));
    },
  );

  it.each(['arm', 'graph'] as const)(
    'applies resource group, type and tag filters (%s)',
    async (via) => {
      const snapshot = await collect(via, {
        resourceGroups: ['rg-web'],
        includeTypes: ['Microsoft.Storage/storageAccounts'],
        tags: { ENV: 'PROD' },
      });

      expect(snapshot.resources.map((r) => r.name)).toEqual(['st0']);
    },
  );

  it.each(['arm', 'graph'] as const)(
    'leaves out excluded types, and child configuration when its type is excluded (%s)',
    async (via) => {
      const snapshot = await collect(via, {
        excludeTypes: ['Microsoft.Storage/storageAccounts', 'Microsoft.Web/sites/config'],
      });

      expect(snapshot.resources.map((r) => r.name)).toEqual(['app1']);
    },
  );

  it('asks the providers API once per subscription per run', async () => {
    await collect('arm', { subscriptions: [SUB_A, SUB_B] });

    expect(
      sim.requests.filter((r) => r.url.includes('/providers?')).map((r) => r.url.split('/')[2]),
    ).toEqual(expect.arrayContaining([SUB_A, SUB_B]));
    expect(sim.requests.filter((r) => r.url.includes('/providers?'))).toHaveLength(2);
  });

  it('reports progress up to every resource collected', async () => {
    const seen: CollectProgress[] = [];

    await collect('arm', {}, (p) => seen.push(p));

    const last = seen.at(-1) as CollectProgress;
    expect(seen[0]?.phase).toBe('verifying');
    expect([last.phase, last.done, last.total, last.errors]).toEqual(['done', 8, 8, 0]);
    expect(last.stats).toMatchObject({ throttled: 0, failed: 0 });
    expect(last.stats.requests).toBe(last.stats.attempts);
  });
});
