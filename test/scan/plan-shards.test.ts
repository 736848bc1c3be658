import { describe, expect, it } from 'vitest';
import type { TypeCounts } from '../../core/collect/count-resource-types.js';
import { narrowToTypes } from '../../core/scan/narrow-to-types.js';
import { planShards } from '../../core/scan/plan-shards.js';
import { planTypeGroups } from '../../core/scan/plan-type-groups.js';
import { failedShardOutcome } from '../../core/scan/queue/shard-jobs.js';
import type { ScanShard } from '../../core/scan/scan-shard.js';

const A = '00000000-0000-4000-8000-0000000000aa';
const B = '00000000-0000-4000-8000-0000000000bb';
const counts = (entries: Record<string, Record<string, number>>): TypeCounts =>
  new Map(Object.entries(entries).map(([sub, types]) => [sub, new Map(Object.entries(types))]));

describe('planTypeGroups', () => {
  it('balances whole types into total ÷ size groups, largest type first into the smallest group', () => {
    const groups = planTypeGroups(
      new Map([
        ['st', 50],
        ['nsg', 35],
        ['kv', 20],
        ['pip', 15],
        ['sites', 10],
        ['disks', 5],
      ]),
      50,
    );

    expect(groups).toEqual([
      { types: ['st'], count: 50 },
      { types: ['nsg', 'sites'], count: 45 },
      { types: ['disks', 'kv', 'pip'], count: 40 },
    ]);
  });

  it('keeps a type larger than the size whole, and never plans more groups than types', () => {
    expect(planTypeGroups(new Map([['vm', 900]]), 100)).toEqual([{ types: ['vm'], count: 900 }]);
    expect(
      planTypeGroups(
        new Map([
          ['vm', 900],
          ['nic', 20],
          ['empty', 0],
        ]),
        100,
      ),
    ).toEqual([
      { types: ['vm'], count: 900 },
      { types: ['nic'], count: 20 },
    ]);
  });
});

describe('planShards with type counts', () => {
  const target = {
    name: 'prod',
    subscriptions: [A, B],
    excludeTypes: ['microsoft.insights/components'],
  };

  it('splits only the subscription above splitAbove: its type groups, then a rest shard reading every other type', () => {
    const shards = planShards(target, 'graph', {
      split: true,
      counts: counts({ [A]: { st: 60, nsg: 50, kv: 10 }, [B]: { st: 30 } }),
      splitAbove: 100,
    });

    expect(shards).toEqual([
      {
        key: `sub:${A}:types-1`,
        target: { ...target, subscriptions: [A], includeTypes: ['kv', 'nsg'] },
        via: 'graph',
        split: { kind: 'types', types: ['kv', 'nsg'] },
      },
      {
        key: `sub:${A}:types-2`,
        target: { ...target, subscriptions: [A], includeTypes: ['st'] },
        via: 'graph',
        split: { kind: 'types', types: ['st'] },
      },
      {
        key: `sub:${A}:rest`,
        target: {
          ...target,
          subscriptions: [A],
          excludeTypes: ['microsoft.insights/components', 'kv', 'nsg', 'st'],
        },
        via: 'graph',
        split: { kind: 'rest', named: 3 },
      },
      { key: `sub:${B}`, target: { ...target, subscriptions: [B] }, via: 'graph' },
    ]);
  });

  it('splits a scope of one big subscription, and leaves a small one a single shard', () => {
    const one = { name: 'prod', subscriptions: [A] };
    const big = planShards(one, 'arm', {
      split: true,
      counts: counts({ [A]: { st: 60, nsg: 50 } }),
      splitAbove: 100,
    });
    const small = planShards(one, 'arm', {
      split: true,
      counts: counts({ [A]: { st: 60, nsg: 40 } }),
      splitAbove: 100,
    });

    expect(big.map((s) => s.key)).toEqual([
      `sub:${A}:types-1`,
      `sub:${A}:types-2`,
      `sub:${A}:rest`,
    ]);
    expect(small).toEqual([{ key: 'scope', target: one, via: 'arm' }]);
  });

  it('does not split without split, nor an incremental scan', () => {
    const c = counts({ [A]: { st: 600 }, [B]: { st: 1 } });
    expect(planShards(target, 'graph', { split: false, counts: c, splitAbove: 100 })).toHaveLength(
      1,
    );
    expect(
      planShards(target, 'arm', {
        split: true,
        counts: c,
        splitAbove: 100,
        delta: { known: {} },
      }).map((s) => s.key),
    ).toEqual([`sub:${A}`, `sub:${B}`]);
  });
});

describe('narrowToTypes', () => {
  it('turns an error about a whole subscription or group into one per type read (and their child configs); resource errors stay', () => {
    const sub = `/subscriptions/${A}`;
    const vm = `${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;

    const narrowed = narrowToTypes(
      [
        { id: sub, code: 'azure.timeout', message: 'timed out' },
        { id: `${sub}/resourceGroups/rg`, message: 'gone' },
        { id: vm, code: 'azure.server-error', message: '500' },
        { id: sub, resourceType: 'microsoft.web/sites', message: 'already typed' },
      ],
      ['microsoft.compute/virtualmachines', 'microsoft.web/sites'],
    );

    expect(narrowed).toEqual([
      {
        id: sub,
        code: 'azure.timeout',
        message: 'timed out',
        resourceType: 'microsoft.compute/virtualmachines',
      },
      { id: sub, code: 'azure.timeout', message: 'timed out', resourceType: 'microsoft.web/sites' },
      {
        id: sub,
        code: 'azure.timeout',
        message: 'timed out',
        resourceType: 'Microsoft.Web/sites/config',
      },
      {
        id: `${sub}/resourceGroups/rg`,
        message: 'gone',
        resourceType: 'microsoft.compute/virtualmachines',
      },
      { id: `${sub}/resourceGroups/rg`, message: 'gone', resourceType: 'microsoft.web/sites' },
      {
        id: `${sub}/resourceGroups/rg`,
        message: 'gone',
        resourceType: 'Microsoft.Web/sites/config',
      },
      { id: vm, code: 'azure.server-error', message: '500' },
      { id: sub, resourceType: 'microsoft.web/sites', message: 'already typed' },
    ]);
  });
});

describe('failedShardOutcome of a split subscription', () => {
  const [types, rest] = planShards({ name: 'prod', subscriptions: [A] }, 'graph', {
    split: true,
    counts: counts({ [A]: { 'microsoft.web/sites': 150 } }),
    splitAbove: 100,
  });

  it('a type group failing makes its types (and their child configs) unknown, nothing else', () => {
    const out = failedShardOutcome(types as ScanShard, 'refused', 3);

    expect(out.snapshot.complete).toBe(false);
    expect(out.snapshot.errors.map((e) => [e.id, e.resourceType])).toEqual([
      [`/subscriptions/${A}`, 'microsoft.web/sites'],
      [`/subscriptions/${A}`, 'Microsoft.Web/sites/config'],
    ]);
  });

  it('the rest shard failing makes the whole subscription unknown: it stands for types nobody named', () => {
    const out = failedShardOutcome(rest as ScanShard, 'refused', 3);

    expect(out.snapshot.errors).toEqual([
      {
        id: `/subscriptions/${A}`,
        code: 'scan.shard-failed',
        message: `shard sub:${A}:rest failed after 3 attempt(s): refused`,
      },
    ]);
  });
});
