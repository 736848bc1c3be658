import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScanPort } from '../../bot/create-ports.js';
import { systemClock } from '../../core/clock.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../core/collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../core/collect/token-bucket-pacer.js';
import type { ScanProgress } from '../../core/commands/command-ports.js';
import { parseConfig } from '../../core/config/load-config.js';
import { queuePrefixOf } from '../../core/scan/queue/configured-scan-collector.js';
import { type ShardWorker, startShardWorker } from '../../core/scan/queue/start-shard-worker.js';
import { runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeEstate } from '../collect/fake-estate.js';
import { simConnection } from '../collect/sim-harness.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const SUBS = [1, 2].map((n) => `00000000-0000-4000-8000-00000000020${n}`);
const PER_SUB = 30;

/**
 * The bot's own scans (`/drift scan`, scheduled summaries) go through its scan port; with Redis
 * they are sharded on this deployment's queue, named after the store's namespace, so a second
 * deployment on the same Redis never takes (or is given) its shards.
 */
describeWithRedis("the bot's scans are sharded on its deployment's queue", () => {
  let sim: ArmSimulator;
  let store: DriftStore;
  let redis: Redis;
  let namespace: string;
  /** Resources (and resource groups) the in-process scan read. */
  let inProcess = 0;
  const shardsTaken = { here: [] as string[], elsewhere: [] as string[] };
  const workers: ShardWorker[] = [];

  const config = () =>
    parseConfig(
      {
        scopes: { big: { subscriptions: SUBS } },
        store: { redisUrl: REDIS_URL },
        azure: {
          collect: { via: 'arm' },
          endpoints: { resourceManager: sim.url, authorityHost: sim.url },
        },
      },
      'test config',
    );

  beforeAll(async () => {
    sim = await startArmSimulator({ resources: SUBS.flatMap((s) => fakeEstate(s, PER_SUB)) });
    namespace = `dwtest-bot-shard-${randomBytes(4).toString('hex')}`;
    store = await openStore({ redisUrl: REDIS_URL, namespace });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const { credential, httpClient, endpoints } = simConnection(sim);
    const deps = { credential, endpoints, httpClient, clock: systemClock, store };
    // Another replica of this deployment, and a worker of another deployment on the same Redis.
    for (const [prefix, taken] of [
      [namespace, shardsTaken.here],
      [`${namespace}-other`, shardsTaken.elsewhere],
    ] as const) {
      workers.push(
        await startShardWorker({
          redisUrl: REDIS_URL,
          prefix,
          deps: {
            ...deps,
            sharedBudget: createRedisBudget({
              redis,
              principal: 'sim-client',
              armReads: ARM_READ_BUCKET,
              graphQuota: GRAPH_USER_QUOTA,
              prefix: `${prefix}:budget`,
            }),
          },
          onShard: (e) => {
            if (e.kind === 'start') taken.push(e.key);
          },
        }),
      );
    }
    // The baseline is read in process (no Redis in its config): the reference the shards must match.
    const baseline = await runScan({
      scope: 'big',
      config: { ...config(), store: {} },
      env: {},
      cwd: '/nonexistent',
      store,
      credential,
      httpClient,
      driftignore: '',
      saveBaseline: true,
    });
    inProcess = baseline.snapshot.resources.length;
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    redis?.disconnect();
    await store?.close();
    await sim?.close();
  });

  it('the queue prefix is the store namespace unless the config or DRIFTWATCH_QUEUE_PREFIX names one', () => {
    const withPrefix = parseConfig(
      { azure: { collect: { queuePrefix: 'team-a' } } },
      'test config',
    );

    expect(queuePrefixOf({ config: config(), env: {}, store })).toBe(namespace);
    expect(queuePrefixOf({ config: config(), env: {} })).toBe('driftwatch');
    expect(queuePrefixOf({ config: withPrefix, env: {}, store })).toBe('team-a');
    expect(
      queuePrefixOf({ config: withPrefix, env: { DRIFTWATCH_QUEUE_PREFIX: 'team-b' }, store }),
    ).toBe('team-b');
    expect(() =>
      queuePrefixOf({ config: config(), env: { DRIFTWATCH_QUEUE_PREFIX: 'a:b' }, store }),
    ).toThrow('DRIFTWATCH_QUEUE_PREFIX: expected 1–64 letters, digits, `_`, `.` or `-`, got "a:b"');
    expect(() =>
      parseConfig({ azure: { collect: { queuePrefix: 'a b' } } }, 'test config'),
    ).toThrow(/azure\.collect\.queuePrefix.*expected 1–64 letters, digits/);
  });

  it('a scan through the port is read in one shard per subscription, counted once, and another deployment takes none', async () => {
    const { credential, httpClient } = simConnection(sim);
    const scan = createScanPort({
      config: config(),
      env: {},
      cwd: '/nonexistent',
      store,
      clock: systemClock,
      scanOptions: { credential, httpClient },
    });
    const progress: ScanProgress[] = [];

    const result = await scan('big', { onProgress: (p) => progress.push(p) });

    expect(result.report.complete).toBe(true);
    expect(inProcess).toBe(64); // 30 resources and 2 resource groups in each subscription
    expect(result.report.current.resources).toBe(inProcess);
    expect(result.report.current.source).toBe(
      `ARM at ${new URL(sim.url).host} · 2 subscriptions · 2 shards`,
    );
    expect(result.report.summary.findings).toBe(0);
    expect(progress.at(-1)).toMatchObject({ done: inProcess, total: inProcess });
    expect(shardsTaken.elsewhere).toEqual([]);
    expect(sim.unexpected).toEqual([]);
  });
});
