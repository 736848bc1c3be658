import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeEstate } from '../collect/fake-estate.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { runTogether } from '../support/run-together.js';

const SUBS = [1, 2, 3].map((n) => `00000000-0000-4000-8000-00000000030${n}`);

/**
 * Bot replicas scanning scopes of one subscription each at the same minute (20 channels, one
 * scope each, in the soak) read them in process — but on the Resource Graph quota shared through
 * Redis, as sharded scans do: three processes at once draw no 429, where each on its own pacer
 * spent the identity's whole quota (the soak counted 12–20 × 429 per tick).
 */
describeWithRedis('scans of one-subscription scopes in several processes at once', () => {
  let child: string;
  let sim: ArmSimulator;

  beforeAll(async () => {
    child = await buildTestChild('test/scan/one-subscription-scan-child.ts');
    sim = await startArmSimulator({ resources: SUBS.flatMap((s) => fakeEstate(s, 40)) });
  }, 60_000);
  afterAll(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('share the Resource Graph quota through Redis: no 429, every scope complete', async () => {
    const prefix = `dwtest-${randomUUID().slice(0, 8)}`;

    const results = await runTogether<{ complete: boolean; resources: number }>(
      child,
      SUBS.map((sub) => ({
        env: {
          ...process.env,
          SIM_URL: sim.url,
          SIM_CA_PEM: sim.caPem,
          SIM_TENANT: sim.tenantId,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          SUB: sub,
        },
      })),
      'scan process',
    );

    const queries = sim.requests.filter((r) => /ResourceGraph/.test(r.url));
    expect(results).toEqual(SUBS.map(() => ({ complete: true, resources: 42 })));
    expect(queries.filter((r) => r.status === 429)).toHaveLength(0);
    // 42 rows in pages of 5: 9 pages per scope, each read once.
    expect(queries).toHaveLength(27);
  }, 60_000);
});
