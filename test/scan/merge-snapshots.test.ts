import { describe, expect, it } from 'vitest';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { mergeSnapshots } from '../../core/scan/merge-snapshots.js';

const SUB_A = '00000000-0000-4000-8000-00000000000a';
const SUB_B = '00000000-0000-4000-8000-00000000000b';

const vnet = (sub: string, name: string, extra: Partial<ArmResource> = {}): ArmResource => ({
  id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${name}`,
  name,
  type: 'Microsoft.Network/virtualNetworks',
  ...extra,
});

const part = (
  shard: string,
  resources: ArmResource[],
  extra: Partial<Snapshot> = {},
): { shard: string; snapshot: Snapshot } => ({
  shard,
  snapshot: {
    schemaVersion: 1,
    scope: 'prod',
    collectedAt: '2026-11-27T10:00:00.000Z',
    source: { kind: 'resource-graph', description: 'Resource Graph · 1 subscription' },
    complete: true,
    resources,
    errors: [],
    ...extra,
  },
});

describe('mergeSnapshots', () => {
  it('merges complete shards into one complete snapshot sorted by id, with provenance', () => {
    const merged = mergeSnapshots(
      [
        part(`sub:${SUB_B}`, [vnet(SUB_B, 'b1')], { collectedAt: '2026-11-27T10:00:05.000Z' }),
        part(`sub:${SUB_A}`, [vnet(SUB_A, 'a2'), vnet(SUB_A, 'a1')]),
      ],
      { scope: 'prod', collection: { mode: 'full' } },
    );

    expect(merged).toEqual({
      schemaVersion: 1,
      scope: 'prod',
      collectedAt: '2026-11-27T10:00:00.000Z',
      source: { kind: 'resource-graph', description: 'Resource Graph · 1 subscription' },
      complete: true,
      resources: [vnet(SUB_A, 'a1'), vnet(SUB_A, 'a2'), vnet(SUB_B, 'b1')],
      errors: [],
      collection: { mode: 'full', shards: 2, duplicates: 0 },
    });
  });

  it('keeps every error and stays incomplete when one shard is incomplete', () => {
    const error = {
      id: `/subscriptions/${SUB_B}`,
      code: 'azure.throttled',
      message: 'Resource Graph query: throttled',
      status: 429,
    };
    const merged = mergeSnapshots(
      [
        part(`sub:${SUB_A}`, [vnet(SUB_A, 'a1')]),
        part(`sub:${SUB_B}`, [], { complete: false, errors: [error] }),
      ],
      { scope: 'prod' },
    );

    expect(merged.complete).toBe(false);
    expect(merged.errors).toEqual([error]);
    expect(merged.resources).toEqual([vnet(SUB_A, 'a1')]);
  });

  it('stays incomplete when a shard says incomplete without naming an error', () => {
    const merged = mergeSnapshots(
      [part('a', [vnet(SUB_A, 'a1')]), part('b', [], { complete: false })],
      { scope: 'prod' },
    );

    expect(merged.complete).toBe(false);
  });

  it('keeps an identical error reported by two shards once', () => {
    const error = { id: `/subscriptions/${SUB_A}`, code: 'azure.unavailable', message: 'down' };
    const merged = mergeSnapshots(
      [
        part('a', [], { complete: false, errors: [error] }),
        part('a-retry', [], { complete: false, errors: [{ ...error }] }),
      ],
      { scope: 'prod' },
    );

    expect(merged.errors).toEqual([error]);
  });

  it('counts a resource two shards returned once and reports the duplicate', () => {
    const merged = mergeSnapshots(
      [
        part('a', [vnet(SUB_A, 'a1'), vnet(SUB_A, 'a2')]),
        part('b', [vnet(SUB_A, 'A1'.toLowerCase()), vnet(SUB_B, 'b1')]),
      ],
      { scope: 'prod' },
    );

    expect(merged.resources.map((r) => r.name)).toEqual(['a1', 'a2', 'b1']);
    expect(merged.collection?.duplicates).toBe(1);
    expect(merged.complete).toBe(true);
  });

  it('matches duplicate ids case-insensitively, as ARM does', () => {
    const upper = { ...vnet(SUB_A, 'a1') };
    const lower = { ...upper, id: upper.id.toLowerCase() };
    const merged = mergeSnapshots([part('a', [upper]), part('b', [lower])], { scope: 'prod' });

    expect(merged.collection?.duplicates).toBe(1);
    expect(merged.errors).toHaveLength(1);
    expect(merged.resources).toEqual([]);
  });

  it('makes a resource two shards read differently unknown, never a silent pick', () => {
    const merged = mergeSnapshots(
      [
        part('sub:a#1', [vnet(SUB_A, 'a1', { tags: { env: 'prod' } })]),
        part('sub:a#2', [vnet(SUB_A, 'a1', { tags: { env: 'dev' } })]),
        part('sub:a#3', [vnet(SUB_A, 'a1', { tags: { env: 'test' } })]),
      ],
      { scope: 'prod' },
    );

    expect(merged.resources).toEqual([]);
    expect(merged.complete).toBe(false);
    expect(merged.errors).toEqual([
      {
        id: vnet(SUB_A, 'a1').id,
        code: 'scan.duplicate-conflict',
        message:
          'shards sub:a#1, sub:a#2, sub:a#3 returned different bodies for this resource; it is unknown until the next scan',
      },
    ]);
    expect(merged.collection).toEqual({ mode: 'full', shards: 3, duplicates: 1 });
  });

  it('records the incremental mode, window and basis it was given', () => {
    const merged = mergeSnapshots([part('carried', [vnet(SUB_A, 'a1')])], {
      scope: 'prod',
      collection: {
        mode: 'incremental',
        window: { from: '2026-11-27T09:00:00.000Z', to: '2026-11-27T10:00:00.000Z' },
        basis: '2026-11-27T09:00:00.000Z',
        reread: 0,
        carried: 1,
      },
    });

    expect(merged.collection).toEqual({
      mode: 'incremental',
      window: { from: '2026-11-27T09:00:00.000Z', to: '2026-11-27T10:00:00.000Z' },
      basis: '2026-11-27T09:00:00.000Z',
      reread: 0,
      carried: 1,
      shards: 1,
      duplicates: 0,
    });
  });

  it('names a mixed source when the parts came from different collectors', () => {
    const merged = mergeSnapshots(
      [part('a', []), part('b', [], { source: { kind: 'arm', description: 'ARM' } })],
      { scope: 'prod' },
    );

    expect(merged.source).toEqual({ kind: 'mixed', description: 'resource-graph + arm' });
  });
});
