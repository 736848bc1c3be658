import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { fromGraphRow } from '../../core/engine/from-graph-row.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { toSnapshot } from '../../core/snapshot/to-snapshot.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';

type Json = Record<string, unknown>;
const readJson = (relative: string) => JSON.parse(readFileSync(fixture(relative), 'utf8'));
const snapshot = (resources: Json[], extra: Partial<Snapshot> = {}): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources: resources as ArmResource[],
  errors: [],
  ...extra,
});

/** What Resource Graph returns for a resource ARM returns as `body`. */
function asGraphRow(body: Json): Json {
  const id = String(body.id);
  return {
    ...body,
    type: String(body.type).toLowerCase(),
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    resourceGroup: id.split('/')[4]?.toLowerCase(),
    subscriptionId: id.split('/')[2],
    managedBy: '',
    plan: null,
    zones: null,
    identity: null,
    extendedLocation: null,
  };
}

describeWithFixtures('Resource Graph rows in the engine', () => {
  const storage = readJson('arm/Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json')
    .responses['200'].body as Json;

  it('finds nothing between a Graph row and the ARM read of the same resource', () => {
    const report = compareSnapshots(snapshot([asGraphRow(storage)]), snapshot([storage]));
    expect(report.summary.findings).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('finds a real change between a Graph export and an ARM export', () => {
    const changed = structuredClone(storage);
    ((changed.properties as Json).networkAcls as Json).defaultAction = 'Deny';
    const report = compareSnapshots(snapshot([asGraphRow(storage)]), snapshot([changed]));
    expect(report.findings.map((f) => f.changes.map((c) => c.path))).toEqual([
      ['properties.networkAcls.defaultAction'],
    ]);
  });

  it('reads `az graph query` output as a Resource Graph snapshot', () => {
    const { snapshot: read, shape } = toSnapshot(
      { count: 1, data: [asGraphRow(storage)], skip_token: null, total_records: 1 },
      'graph.json',
    );
    expect(shape).toBe('resource-graph');
    expect(read.complete).toBe(true);
    expect(compareSnapshots(read, snapshot([storage])).summary.findings).toBe(0);
  });

  it('marks one page of a paged Graph result incomplete, so what it lacks is unknown, not removed', () => {
    const { snapshot: firstPage } = toSnapshot(
      readJson('resourcegraph/Microsoft.ResourceGraph.resources.ResourcesFirstPageQuery.json'),
      'first-page.json',
    );
    expect(firstPage.complete).toBe(false);
    expect(firstPage.errors.map((e) => e.code)).toEqual(['graph-partial-result']);
    const report = compareSnapshots(snapshot([storage]), firstPage);
    expect(report.findings.find((f) => f.resourceName === storage.name)?.change).toBe('unknown');
    expect(report.complete).toBe(false);
  });
});

describe('fromGraphRow', () => {
  it('returns an ARM body untouched (same object)', () => {
    const body = { id: '/subscriptions/s/resourceGroups/rg/providers/A/b/c', kind: '' };
    expect(fromGraphRow(body)).toBe(body);
  });

  it.each([
    ['kind', ''],
    ['sku', null],
    ['tags', null],
    ['zones', null],
  ])('drops the empty Graph placeholder %s', (column, value) => {
    const row = {
      id: 'x',
      resourceGroup: 'rg',
      subscriptionId: 's',
      tenantId: 't',
      [column]: value,
    };
    expect(fromGraphRow(row)).toEqual({ id: 'x' });
  });
});
