import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../core/collect/token-bucket-pacer.js';
import type { ArmResource } from '../../core/model/resource.js';
import { type RunScanOptions, runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate, SUB_A } from '../collect/fake-estate.js';
import { simScanOptions } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

/**
 * Attribution asks Resource Graph's `resourcechanges` who changed each finding: on a Redis
 * deployment those queries take from the identity's shared quota like the scans' own, so bot
 * replicas attributing at the same minute stay within it (the bot-replica soak drew 10–19 × 429
 * per tick with findings while they did not).
 */
describeWithRedis('attribution on the shared Resource Graph quota', () => {
  let sim: ArmSimulator;
  let store: DriftStore;
  let redis: Redis;
  let estate: ArmResource[];
  const prefix = `dwtest-attr-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    estate = fakeEstate(SUB_A, 4);
    sim = await startArmSimulator({ resources: estate });
    store = await openStore({ memory: true });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    expect(sim.unexpected).toEqual([]);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await store.close();
    await sim.close();
  });

  const scan = (options: Partial<RunScanOptions> = {}) =>
    runScan({
      ...simScanOptions(sim, store, {
        scope: 'prod',
        subscriptions: [SUB_A],
        tuning: { maxRetries: 1 },
      }),
      ...options,
    });

  it("each resourcechanges query takes a slot of the shared quota's log", async () => {
    await scan({ saveBaseline: true });
    const st0 = estate[0] as ArmResource;
    sim.estate.put({ ...st0, properties: { ...st0.properties, allowBlobPublicAccess: true } });
    sim.estate.changes.push({
      resourceId: st0.id,
      changeType: 'Update',
      timestamp: new Date().toISOString(),
      changedBy: 'ops-user@contoso.com',
      clientType: 'Azure Portal',
      operation: 'Microsoft.Storage/storageAccounts/write',
    });
    const sharedBudget = createRedisBudget({
      redis,
      principal: 'sim-client',
      prefix: `${prefix}:budget`,
      armReads: ARM_READ_BUCKET,
      graphQuota: GRAPH_USER_QUOTA,
    });

    const result = await scan({ attribute: true, sharedBudget });

    expect(result.report?.findings[0]?.attribution?.actor).toBe('ops-user@contoso.com');
    // The collection here reads on its own pacer (no collector given): the one slot taken is
    // attribution's one batch of changed ids.
    expect(await redis.zcard(`${prefix}:budget:graph:sim-client`)).toBe(1);
  });
});
