import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectScope } from '../../core/collect/collect-scope.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { fakeEstate, SUB_A } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

describe('collectScope', () => {
  let sim: ArmSimulator;
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: fakeEstate() });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it.each(['arm', 'graph'] as const)('collects exactly the estate via %s', async (via) => {
    const { endpoints, credential, httpClient } = simConnection(sim);
    const snapshot = await collectScope({
      target: { name: 'test', subscriptions: [SUB_A] },
      credential,
      endpoints,
      httpClient,
      via,
      tuning: FAST_TUNING,
    });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.errors).toEqual([]);
    const expected = fakeEstate().sort((a, b) =>
      a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1,
    );
    const normalise = (r: { type?: string }) =>
      via === 'graph' ? { ...r, type: r.type?.toLowerCase() } : r;
    expect(
      snapshot.resources.map((r) => (r.type === 'Microsoft.Web/sites/config' ? r : normalise(r))),
    ).toEqual(expected.map((r) => (r.type === 'Microsoft.Web/sites/config' ? r : normalise(r))));
  });
});
