import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';

function logContract(open: () => Promise<DriftStore>) {
  let store: DriftStore;
  afterEach(async () => {
    await store?.close();
  });

  it('lists appended entries newest first, and at most the limit', async () => {
    store = await open();
    const log = store.appendLog<{ n: number }>('audit');
    for (const n of [1, 2, 3]) await log.append({ n });
    expect(await log.list()).toEqual([{ n: 3 }, { n: 2 }, { n: 1 }]);
    expect(await log.list(2)).toEqual([{ n: 3 }, { n: 2 }]);
    expect(await store.appendLog('other').list()).toEqual([]);
  });

  it('keeps every entry when many are appended at once', async () => {
    store = await open();
    const log = store.appendLog<{ n: number }>('audit');
    await Promise.all(Array.from({ length: 50 }, (_, n) => log.append({ n })));
    const listed = (await log.list()).map((e) => e.n).sort((a, b) => a - b);
    expect(listed).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });
}

describe('DriftStore.appendLog', () => {
  describe('memory', () => {
    logContract(() => openStore({ memory: true }));
  });
  describe('sqlite', () => {
    logContract(async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'dw-log-')), 'store.sqlite');
      return openStore({ path });
    });
  });
  describeWithRedis('redis', () => {
    logContract(async () => {
      const namespace = `dw-log-${randomBytes(4).toString('hex')}`;
      return openStore({ redisUrl: REDIS_URL, namespace });
    });
  });
});
