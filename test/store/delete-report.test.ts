import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { findingFixture, reportFixture } from '../api/report-fixture.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

function deleteContract(open: () => Promise<DriftStore>) {
  let store: DriftStore;
  afterEach(async () => {
    await store?.close();
  });

  it('removes one report from history and leaves the others', async () => {
    store = await open();
    const a = await store.saveReport(
      reportFixture('prod', '2026-11-21T10:00:00Z', [findingFixture('f1')]),
    );
    const b = await store.saveReport(reportFixture('prod', '2026-11-21T11:00:00Z'));
    expect(await store.deleteReport(a.id)).toBe(true);
    expect((await store.listReports({ scope: 'prod' })).map((r) => r.id)).toEqual([b.id]);
    expect(await store.getReport(a.id)).toBeUndefined();
  });

  it('answers false for an id it does not hold, and never deletes by prefix', async () => {
    store = await open();
    const a = await store.saveReport(reportFixture('prod', '2026-11-21T10:00:00Z'));
    expect(await store.deleteReport('ffffffffffffffff')).toBe(false);
    expect(await store.deleteReport(a.id.slice(0, 6))).toBe(false);
    expect((await store.listReports()).map((r) => r.id)).toEqual([a.id]);
  });
}

describe('DriftStore.deleteReport', () => {
  describe('memory', () => {
    deleteContract(() => openStore({ memory: true }));
  });
  describe('sqlite', () => {
    deleteContract(() =>
      openStore({ path: join(mkdtempSync(join(tmpdir(), 'dw-del-')), 'store.sqlite') }),
    );
  });
  describeWithRedis('redis', () => {
    deleteContract(() =>
      openStore({ redisUrl: REDIS_URL, namespace: `dw-del-${randomBytes(4).toString('hex')}` }),
    );
  });
});
