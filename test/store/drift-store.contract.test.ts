import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import { StoreError } from '../../core/errors.js';
import type { Report } from '../../core/model/report.js';
import type { Snapshot } from '../../core/model/resource.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

const snapshot = (n: number, complete = true): Snapshot => ({
  schemaVersion: 1,
  complete,
  collectedAt: '2026-11-21T09:00:00Z',
  resources: Array.from({ length: n }, (_, i) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app${i}`,
    name: `app${i}`,
  })),
  errors: [],
});
const report = (scope: string, at: string, fingerprints: string[] = []): Report => ({
  schemaVersion: 1,
  generatedAt: at,
  scope,
  baseline: { resources: 1, complete: true },
  current: { resources: 1, complete: true },
  complete: true,
  summary: {
    findings: fingerprints.length,
    byChange: { added: 0, removed: 0, modified: fingerprints.length, unknown: 0 },
    bySeverity: { critical: 0, high: fingerprints.length, medium: 0, low: 0, info: 0 },
    maxSeverity: fingerprints.length ? 'high' : null,
    suppressed: { total: 0, byRule: {} },
    accepted: 0,
  },
  findings: fingerprints.map((fingerprint) => ({
    resourceId: '/x',
    resourceType: 't',
    resourceName: 'x',
    change: 'modified',
    severity: 'high',
    fingerprint,
    rule: 'r',
    why: 'w',
    changes: [],
  })),
});

/** A clock tests advance by hand. */
function fakeClock(start = '2026-11-21T10:00:00Z'): Clock & { tick(ms: number): void } {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    tick: (ms) => {
      now += ms;
    },
  };
}

/** The store contract, run against every adapter. */
function storeContract(open: (clock: Clock) => Promise<DriftStore>) {
  let store: DriftStore;
  let clock: ReturnType<typeof fakeClock>;
  beforeEach(async () => {
    clock = fakeClock();
    store = await open(clock);
  });
  afterEach(async () => {
    await store.close();
  });

  it('has no baseline for a new scope', async () => {
    expect(await store.getBaseline('prod')).toBeUndefined();
    expect(await store.listBaselines()).toEqual([]);
  });

  it('stores a baseline and reads it back exactly', async () => {
    const record = await store.setBaseline('prod', snapshot(3), {
      setBy: 'ann',
      note: 'after release 42',
    });
    expect(record).toMatchObject({
      scope: 'prod',
      resources: 3,
      complete: true,
      setBy: 'ann',
      note: 'after release 42',
      setAt: '2026-11-21T10:00:00.000Z',
    });
    const found = await store.getBaseline('PROD');
    expect(found?.record).toEqual(record);
    expect(found?.snapshot).toEqual(snapshot(3));
    expect(await store.listBaselines()).toEqual([record]);
  });

  it('keeps baseline history newest first and drops snapshots past retention', async () => {
    const records = [];
    for (let i = 1; i <= 4; i++) {
      clock.tick(1000);
      records.push(await store.setBaseline('prod', snapshot(i)));
    }
    const history = await store.baselineHistory('prod');
    expect(history.map((r) => r.resources)).toEqual([4, 3, 2]);
    expect(await store.getSnapshot(records[0]?.snapshotId ?? '')).toBeUndefined();
    expect((await store.getBaseline('prod'))?.record.resources).toBe(4);
  });

  it('indexes reports by scope, newest first, finds them by prefix, and keeps the retention', async () => {
    const a = await store.saveReport(report('prod', '2026-11-21T10:00:00Z', ['f1']));
    const b = await store.saveReport(report('dev', '2026-11-21T11:00:00Z'));
    const c = await store.saveReport(report('prod', '2026-11-21T12:00:00Z', ['f2']));
    expect((await store.listReports()).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect((await store.listReports({ scope: 'prod' })).map((r) => r.id)).toEqual([c.id, a.id]);
    expect(c).toMatchObject({
      scope: 'prod',
      findings: 1,
      maxSeverity: 'high',
      fingerprints: ['f2'],
    });
    expect((await store.getReport(a.id.slice(0, 6)))?.report.findings[0]?.fingerprint).toBe('f1');
    expect(await store.getReport('ffffffffffff')).toBeUndefined();
    const d = await store.saveReport(report('prod', '2026-11-21T13:00:00Z'));
    expect((await store.listReports({ scope: 'prod' })).map((r) => r.id)).toEqual([d.id, c.id]);
    expect(await store.getReport(a.id)).toBeUndefined();
  });

  it('never matches a report id prefix shorter than 4 characters', async () => {
    const ref = await store.saveReport(report('prod', '2026-11-21T10:00:00Z'));
    expect(await store.getReport(ref.id.slice(0, 3))).toBeUndefined();
    expect((await store.getReport(ref.id.slice(0, 4)))?.ref.id).toBe(ref.id);
  });

  it('records accepted findings per scope, replacing an earlier acceptance of the same fingerprint', async () => {
    await store.accept({ scope: 'prod', fingerprint: 'f1', by: 'ann', at: 't1' });
    await store.accept({
      scope: 'prod',
      fingerprint: 'f1',
      by: 'bob',
      reason: 'planned',
      at: 't2',
    });
    await store.accept({ scope: 'dev', fingerprint: 'f2', by: 'ann', at: 't1' });
    expect(await store.listAccepted('prod')).toEqual([
      { scope: 'prod', fingerprint: 'f1', by: 'bob', reason: 'planned', at: 't2' },
    ]);
  });

  it('lists acceptances oldest first; accepting a fingerprint again moves it last', async () => {
    await store.accept({ scope: 'prod', fingerprint: 'f1', by: 'ann', at: 't1' });
    await store.accept({ scope: 'prod', fingerprint: 'f2', by: 'ann', at: 't2' });
    await store.accept({ scope: 'prod', fingerprint: 'f1', by: 'bob', at: 't3' });
    expect((await store.listAccepted('PROD')).map((a) => [a.fingerprint, a.by])).toEqual([
      ['f2', 'ann'],
      ['f1', 'bob'],
    ]);
  });

  it('lists baselines of every scope, in the order the scopes got their first baseline', async () => {
    await store.setBaseline('prod', snapshot(1));
    await store.setBaseline('dev', snapshot(2));
    clock.tick(1000);
    await store.setBaseline('prod', snapshot(3));
    expect((await store.listBaselines()).map((b) => [b.scope, b.resources])).toEqual([
      ['prod', 3],
      ['dev', 2],
    ]);
  });

  it('setIfAbsent stores the first value and hands it to every later caller', async () => {
    const secrets = store.keyValue<string>('secrets');
    expect(await secrets.setIfAbsent('hmac', 'first')).toBe('first');
    expect(await secrets.setIfAbsent('hmac', 'second')).toBe('first');
    expect(await secrets.get('hmac')).toBe('first');
  });

  it('update applies every one of many simultaneous changes, and undefined deletes', async () => {
    const lists = store.keyValue<number[]>('lists');
    const all = Array.from({ length: 20 }, (_, i) => i);
    await Promise.all(all.map((i) => lists.update('k', (current = []) => [...current, i])));
    expect((await lists.get('k'))?.sort((a, b) => a - b)).toEqual(all);
    expect(await lists.update('k', () => undefined)).toBeUndefined();
    expect(await lists.get('k')).toBeUndefined();
    expect(await lists.update('k', (current) => [...(current ?? []), 7])).toEqual([7]);
  });

  it('update and setIfAbsent honour a TTL', async () => {
    const cache = store.keyValue<number>('short');
    await cache.update('u', () => 1, 50);
    await cache.setIfAbsent('s', 2, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await cache.get('u')).toBeUndefined();
    expect(await cache.setIfAbsent('s', 3)).toBe(3);
  });

  it('keeps key-value namespaces apart and expires entries after their TTL', async () => {
    const cache = store.keyValue<{ v: number }>('api-versions');
    const other = store.keyValue<string>('subscriptions');
    await cache.set('k', { v: 1 });
    await other.set('k', 'x');
    await cache.set('short', { v: 2 }, 50);
    expect(await cache.get('k')).toEqual({ v: 1 });
    expect(await other.get('k')).toBe('x');
    await new Promise((r) => setTimeout(r, 120));
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.delete('k')).toBe(true);
    expect(await cache.get('k')).toBeUndefined();
  });
}

describe('DriftStore on the embedded SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-store-'));
  let n = 0;
  storeContract((clock) =>
    openStore({
      path: join(dir, `store-${n++}.sqlite`),
      clock,
      retention: { reportsPerScope: 2, baselinesPerScope: 3 },
    }),
  );

  it('persists across close and reopen (a new process sees the same baseline)', async () => {
    const path = join(dir, 'persist.sqlite');
    const first = await openStore({ path });
    await first.setBaseline('prod', snapshot(2));
    await first.close();
    const second = await openStore({ path });
    expect((await second.getBaseline('prod'))?.snapshot.resources).toHaveLength(2);
    await second.close();
  });
});

describe('DriftStore in memory', () => {
  storeContract((clock) =>
    openStore({ memory: true, clock, retention: { reportsPerScope: 2, baselinesPerScope: 3 } }),
  );
});

describeWithRedis('DriftStore on Redis', () => {
  const namespace = `dwtest-${randomBytes(4).toString('hex')}`;
  let n = 0;
  storeContract((clock) =>
    openStore({
      redisUrl: REDIS_URL,
      namespace: `${namespace}-${n++}`,
      clock,
      retention: { reportsPerScope: 2, baselinesPerScope: 3 },
    }),
  );

  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${namespace}-*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('fails with a clear store error when Redis is unreachable', async () => {
    await expect(openStore({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(StoreError);
    await expect(openStore({ redisUrl: 'redis://user:pw@127.0.0.1:1' })).rejects.toThrow(
      /cannot connect to Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1/,
    );
  });
});
