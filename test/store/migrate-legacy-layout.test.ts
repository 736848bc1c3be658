import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import { Redis } from 'ioredis';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { listSubscriptions } from '../../core/schedule/chat-subscriptions.js';
import { listChatIgnoreRules } from '../../core/store/chat-ignore-rules.js';
import type { BaselineRecord, DriftStore, ReportRef } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { concurrentReport, concurrentSnapshot } from './concurrent-writes.js';

const ref = (id: string, generatedAt: string): ReportRef => ({
  id,
  scope: 'prod',
  generatedAt,
  findings: 1,
  maxSeverity: 'high',
  complete: true,
  fingerprints: [`w0-report-${id}`],
});
const record = (snapshotId: string, setAt: string): BaselineRecord => ({
  scope: 'prod',
  snapshotId,
  setAt,
  resources: 1,
  complete: true,
});
const older = ref('aaaa000000000001', '2026-11-20T10:00:00Z');
const newer = ref('bbbb000000000002', '2026-11-21T10:00:00Z');
const firstBaseline = record('snap_old_1', '2026-11-01T10:00:00.000Z');
const currentBaseline = record('snap_old_2', '2026-11-02T10:00:00.000Z');
const subscription = {
  id: 'slack:C1:prod',
  host: 'slack',
  channel: 'C1',
  scope: 'prod',
  schedule: { text: 'daily 09:00', cron: '0 9 * * *', timezone: 'UTC' },
  minSeverity: 'high',
  allClear: false,
  createdBy: 'U1',
  createdAt: '2026-11-01T10:00:00.000Z',
};

/** Writes a store the way driftwatch did before the atomic backend: every index a keyv value. */
async function writeLegacyStore(keyv: Keyv): Promise<void> {
  await keyv.set('report:aaaa000000000001', concurrentReport(0, 1));
  await keyv.set('report:bbbb000000000002', concurrentReport(0, 2));
  await keyv.set('reports', [newer, older]);
  await keyv.set('snapshot:snap_old_1', concurrentSnapshot(0, 1));
  await keyv.set('snapshot:snap_old_2', concurrentSnapshot(0, 2));
  await keyv.set('baseline:prod', currentBaseline);
  await keyv.set('baselines:prod', [currentBaseline, firstBaseline]);
  await keyv.set('baselines', ['prod']);
  await keyv.set('accepted:prod', [{ scope: 'prod', fingerprint: 'f1', by: 'ann', at: 't1' }]);
  await keyv.set('kv:ignore-rules:prod', [
    { path: 'tags.owner', owner: 'U1', expires: '2027-01-01T00:00:00Z', createdAt: 't' },
  ]);
  await keyv.set('kv:subscriptions:index', [subscription.id]);
  await keyv.set(`kv:subscriptions:sub:${subscription.id}`, subscription);
  await keyv.set('kv:api-versions:microsoft.web', { sites: '2024-04-01' }, 60_000);
  await keyv.set('kv:api-versions:expired', { sites: '2020-01-01' }, 1);
  await keyv.disconnect();
}

/** What the old store held, read through the new one. */
async function expectLegacyContent(store: DriftStore): Promise<void> {
  expect((await store.listReports()).map((r) => r.id)).toEqual([newer.id, older.id]);
  expect((await store.getReport('aaaa'))?.report).toEqual(concurrentReport(0, 1));
  expect(await store.baselineHistory('prod')).toEqual([currentBaseline, firstBaseline]);
  expect(await store.getBaseline('prod')).toEqual({
    record: currentBaseline,
    snapshot: concurrentSnapshot(0, 2),
  });
  expect(await store.listBaselines()).toEqual([currentBaseline]);
  expect((await store.listAccepted('prod')).map((a) => a.fingerprint)).toEqual(['f1']);
  expect(await listChatIgnoreRules(store, 'prod')).toEqual([
    { path: 'tags.owner', owner: 'U1', expires: '2027-01-01T00:00:00Z' },
  ]);
  // Stored before Teams: host/channel, read as a Slack subscription of that channel.
  const { host: _host, channel: _channel, ...rest } = subscription;
  expect(await listSubscriptions(store)).toEqual([{ ...rest, chat: 'slack', conversation: 'C1' }]);
  expect(await store.keyValue('api-versions').get('microsoft.web')).toEqual({
    sites: '2024-04-01',
  });
  expect(await store.keyValue('api-versions').get('expired')).toBeUndefined();
}

function legacyMigrationSuite(open: () => Promise<DriftStore>, legacyKeyv: () => Keyv) {
  it('reads a store written in the old layout, moves its indexes once, and orders new writes first', async () => {
    await writeLegacyStore(legacyKeyv());
    await new Promise((r) => setTimeout(r, 5)); // lets the 1 ms entry expire

    const first = await open();
    await expectLegacyContent(first);
    const added = await first.saveReport(concurrentReport(1, 0));
    await first.close();

    const again = await open();
    expect((await again.listReports()).map((r) => r.id)).toEqual([added.id, newer.id, older.id]);
    await again.close();
    const left = legacyKeyv();
    const legacyIndexes = await Promise.all(
      ['reports', 'baselines', 'baselines:prod', 'baseline:prod', 'accepted:prod'].map((k) =>
        left.get(k),
      ),
    );
    const snapshotKept = await left.get('snapshot:snap_old_2');
    await left.disconnect();
    expect(legacyIndexes).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(snapshotKept).toEqual(concurrentSnapshot(0, 2));
  });
}

describe('A store in the old layout (indexes as keyv values)', () => {
  describe('on SQLite', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dw-legacy-')), 'store.sqlite');
    legacyMigrationSuite(
      () => openStore({ path }),
      () =>
        new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}` }), namespace: 'driftwatch' }),
    );
  });

  describeWithRedis('on Redis', () => {
    const namespace = `dwtest-legacy-${randomBytes(4).toString('hex')}`;
    afterAll(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    legacyMigrationSuite(
      () => openStore({ redisUrl: REDIS_URL, namespace }),
      () => createRedisKeyv(REDIS_URL, { namespace }),
    );
  });
});

describeWithRedis('Opening a store on Redis while another process deletes values', () => {
  const namespace = `dwtest-vanish-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('checks the layout without failing on keys that vanish between listing and reading', async () => {
    const legacy = createRedisKeyv(REDIS_URL, { namespace });
    const plain = Array.from({ length: 4000 }, (_, i) => `report:${String(i).padStart(16, '0')}`);
    for (let i = 0; i < plain.length; i += 500) {
      await legacy.setMany(plain.slice(i, i + 500).map((key) => ({ key, value: { i } })));
    }
    await legacy.set('accepted:prod', [{ scope: 'prod', fingerprint: 'f1', by: 'ann', at: 't1' }]);
    await legacy.disconnect();

    // What a second replica pruning old reports does while this one opens the store.
    const other = new Redis(REDIS_URL);
    const pruning = (async () => {
      for (let i = plain.length - 1; i >= 0; i -= 50) {
        await other.del(
          ...plain.slice(Math.max(0, i - 49), i + 1).map((k) => `${namespace}::${k}`),
        );
      }
    })();
    const store = await openStore({ redisUrl: REDIS_URL, namespace });
    const accepted = await store.listAccepted('prod');
    await pruning;
    await other.quit();
    await store.close();
    expect(accepted.map((a) => a.fingerprint)).toEqual(['f1']);
  });
});
