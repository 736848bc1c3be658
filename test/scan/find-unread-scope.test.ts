import { describe, expect, it } from 'vitest';
import type { SnapshotError } from '../../core/model/resource.js';
import { describeUnreadScope, findUnreadScope } from '../../core/scan/find-unread-scope.js';

const A = '00000000-0000-0000-0000-00000000000a';
const B = '00000000-0000-0000-0000-00000000000b';
const failed = (id: string): SnapshotError => ({ id, message: `${id}: connect ECONNREFUSED` });
const resource = { id: `/subscriptions/${A}/resourceGroups/rg/providers/Microsoft.Web/sites/app` };

describe('findUnreadScope', () => {
  it.each([
    [
      'every subscription failed and nothing was read',
      { subscriptions: [A, B] },
      { resources: [], errors: [failed(`/subscriptions/${A}`), failed(`/subscriptions/${B}`)] },
      true,
    ],
    [
      'every group of a group scope failed (ids compared case-insensitively)',
      { subscriptions: [A], resourceGroups: ['rg-web', 'rg-data'] },
      {
        resources: [],
        errors: [
          failed(`/subscriptions/${A}/resourceGroups/RG-WEB`),
          failed(`/subscriptions/${A}/resourceGroups/rg-data/`),
        ],
      },
      true,
    ],
    [
      'one subscription was read, even if it is empty',
      { subscriptions: [A, B] },
      { resources: [], errors: [failed(`/subscriptions/${A}`)] },
      false,
    ],
    [
      'a group that raised no error (it may live in another subscription)',
      { subscriptions: [A], resourceGroups: ['rg-web', 'rg-data'] },
      { resources: [], errors: [failed(`/subscriptions/${A}/resourceGroups/rg-web`)] },
      false,
    ],
    [
      'resources came back',
      { subscriptions: [A] },
      { resources: [resource], errors: [failed(`/subscriptions/${A}`)] },
      false,
    ],
    ['an empty, fully read scope', { subscriptions: [A] }, { resources: [], errors: [] }, false],
  ])('%s → unread: %s', (_name, target, snapshot, unread) => {
    expect(findUnreadScope(target, snapshot)).toEqual(unread ? snapshot.errors : undefined);
  });

  it('describes the scope, the source, the first reason and how many more', () => {
    const errors = [failed(`/subscriptions/${A}`), failed(`/subscriptions/${B}`)];

    expect(describeUnreadScope('prod', errors, 'ARM at 127.0.0.1:9 · 2 subscriptions')).toBe(
      `scope prod could not be read at all (ARM at 127.0.0.1:9 · 2 subscriptions): /subscriptions/${A}: connect ECONNREFUSED (and 1 more part(s)); check the endpoint, the network or proxy, and that Azure is reachable from here`,
    );
  });
});
