import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import type { Snapshot } from '../../core/model/resource.js';
import { exportBaseline, readBaselineExport } from '../../core/store/baseline-export.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { REDIS_URL, redisPresent } from '../support/requirements.js';

const snapshot = (n: number): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  collectedAt: '2026-11-21T09:00:00Z',
  resources: Array.from({ length: n }, (_, i) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app${i}`,
    name: `app${i}`,
  })),
  errors: [],
});

const backends = [
  ['memory', () => openStore({ memory: true, retention: { baselinesPerScope: 3 } })],
  [
    'sqlite',
    () =>
      openStore({
        path: join(mkdtempSync(join(tmpdir(), 'dw-bv-')), 's.sqlite'),
        retention: { baselinesPerScope: 3 },
      }),
  ],
  ...(redisPresent
    ? ([
        [
          'redis',
          () =>
            openStore({
              redisUrl: REDIS_URL,
              namespace: `dw-test-${randomBytes(4).toString('hex')}`,
              retention: { baselinesPerScope: 3 },
            }),
        ],
      ] as const)
    : []),
] as const;

describe.each(backends)('baseline versions (%s store)', (_name, open) => {
  let store: DriftStore;
  afterEach(async () => {
    await store?.close();
  });

  it('numbers every baseline 1, 2, 3… and keeps the newest by retention, never reusing a number', async () => {
    store = await open();
    for (let n = 1; n <= 5; n++) await store.setBaseline('prod', snapshot(n), { setBy: `u${n}` });

    const versions = await store.baselineVersions('prod');

    expect(versions.map((v) => [v.version, v.resources, v.setBy])).toEqual([
      [5, 5, 'u5'],
      [4, 4, 'u4'],
      [3, 3, 'u3'],
    ]);
    expect((await store.getBaselineVersion('prod', 4))?.snapshot.resources).toHaveLength(4);
    expect(await store.getBaselineVersion('prod', 2)).toBeUndefined();
  });

  it('restores a kept version as a new version that records who, why and from which', async () => {
    store = await open();
    await store.setBaseline('prod', snapshot(1));
    await store.setBaseline('prod', snapshot(2));

    const restored = await store.restoreBaseline('prod', 1, { setBy: 'alice', note: 'bad deploy' });
    const current = await store.getBaseline('prod');

    expect([restored.version, restored.restoredFrom, restored.setBy, restored.note]).toEqual([
      3,
      1,
      'alice',
      'bad deploy',
    ]);
    expect(current?.record).toEqual(restored);
    expect(current?.snapshot.resources).toHaveLength(1);
    expect((await store.baselineVersions('prod')).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('keeps a restored snapshot when retention drops the version it came from', async () => {
    store = await open();
    await store.setBaseline('prod', snapshot(1));
    await store.restoreBaseline('prod', 1, { setBy: 'alice' });
    await store.setBaseline('prod', snapshot(3));
    await store.setBaseline('prod', snapshot(4)); // drops version 1; version 2 shares its snapshot

    const versions = await store.baselineVersions('prod');

    expect(versions.map((v) => v.version)).toEqual([4, 3, 2]);
    expect((await store.getBaselineVersion('prod', 2))?.snapshot.resources).toHaveLength(1);
  });

  it('refuses a version it does not keep, naming the kept ones, and changes nothing', async () => {
    store = await open();
    await store.setBaseline('prod', snapshot(1));
    await store.setBaseline('prod', snapshot(2));

    const error = await store.restoreBaseline('prod', 9, { setBy: 'alice' }).catch((e) => e);

    expect(error).toBeInstanceOf(UsageError);
    expect([error.code, error.message]).toEqual([
      'usage.no-baseline-version',
      'scope "prod" keeps no baseline version 9; kept versions: 2, 1 (driftwatch baseline versions --scope prod)',
    ]);
    expect((await store.baselineVersions('prod')).map((v) => v.version)).toEqual([2, 1]);
  });

  it('exports a version as a snapshot document that imports back with its facts', async () => {
    store = await open();
    const record = await store.setBaseline('prod', snapshot(2), {
      setBy: 'bob',
      note: 'release 7',
    });
    const found = await store.getBaselineVersion('prod', record.version as number);

    const document = JSON.parse(
      JSON.stringify(
        exportBaseline(
          found?.record as never,
          found?.snapshot as Snapshot,
          new Date('2026-11-27T10:00:00Z'),
        ),
      ),
    );
    const back = readBaselineExport(document, 'prod.json');

    expect(document.baseline).toEqual({
      scope: 'prod',
      version: 1,
      setAt: record.setAt,
      setBy: 'bob',
      note: 'release 7',
    });
    expect(back.snapshot.resources).toEqual(snapshot(2).resources);
    expect(back.baseline.version).toBe(1);
    expect(() => readBaselineExport({ resources: [] }, 'plain.json')).toThrow(
      'plain.json: not a baseline export (kind: Invalid input: expected "driftwatch-baseline"); expected a file written by driftwatch baseline export, with "kind": "driftwatch-baseline"',
    );
  });
});
