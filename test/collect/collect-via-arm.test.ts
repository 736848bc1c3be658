import { afterEach, describe, expect, it } from 'vitest';
import { generateBenchEstate } from '../../bench/collect/generate-bench-estate.js';
import { collectScope } from '../../core/collect/collect-scope.js';
import type { ArmResource } from '../../core/model/resource.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

const SUB = '00000000-0000-4000-8000-000000000a01';
const byId = (a: ArmResource, b: ArmResource) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1);
const isGetById = (url: string) => /\/resourceGroups\/[^/]+\/providers\//i.test(url);
const isLaterListPage = (url: string) => /\/resources\?.*skiptoken/i.test(url);

describe('collectViaArm', () => {
  let sim: ArmSimulator;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it("reads the first list page's resources while the next page is still on its way", async () => {
    // 1,500 resources: two list pages. The second is throttled once for 300 ms (waited out), so
    // a collector that lists everything first reads nothing until it is in.
    const estate = generateBenchEstate(SUB, 1_500);
    // A roomy read bucket: this is about order, not pacing.
    const reads = { burst: 5_000, refillPerSecond: 5_000 };
    sim = await startArmSimulator({ resources: estate, limits: { armReads: reads } });
    sim.faults.add({
      match: /\/resources\?.*skiptoken/i,
      action: { kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } },
      times: 1,
    });
    const { endpoints, credential, httpClient } = simConnection(sim);

    const snapshot = await collectScope({
      target: { name: 'test', subscriptions: [SUB] },
      credential,
      endpoints,
      httpClient,
      via: 'arm',
      tuning: { ...FAST_TUNING, armReads: reads },
    });

    const answered = sim.requests.filter((r) => !/oauth2|well-known/.test(r.url));
    const secondPage = answered.findIndex((r) => isLaterListPage(r.url) && r.status === 200);
    const readsBefore = answered.slice(0, secondPage).filter((r) => isGetById(r.url)).length;
    expect(secondPage).toBeGreaterThan(0);
    expect(readsBefore).toBeGreaterThan(0);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.resources).toEqual([...estate].sort(byId));
    expect(answered.filter((r) => isGetById(r.url)).length).toBe(1_500);
  }, 60_000);
});
