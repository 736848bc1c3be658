import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import {
  READ_ONLY_ENTRIES,
  READ_ONLY_OVERRIDES,
  READ_ONLY_SOURCE,
} from '../../core/engine/read-only-catalogue.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { PROJECT_ROOT } from '../support/requirements.js';

const snap = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
const ST = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';
const storage = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ id: ST, type: 'Microsoft.Storage/storageAccounts', properties, ...extra }) as ArmResource;

describe('read-only catalogue (generated from the Azure SDK model metadata)', () => {
  it('suppresses a server-assigned property the hand catalogue does not name, under its own rule', () => {
    const report = compareSnapshots(
      snap([storage({ failoverInProgress: false, isSkuConversionBlocked: false })]),
      snap([storage({ failoverInProgress: true, isSkuConversionBlocked: true })]),
    );
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.byRule['read-only']).toBe(2);
  });

  it('leaves a hand-catalogued property under its hand rule (etag, identity ids)', () => {
    const report = compareSnapshots(
      snap([storage({}, { identity: { type: 'SystemAssigned', principalId: 'p1' } })]),
      snap([storage({}, { identity: { type: 'SystemAssigned', principalId: 'p2' } })]),
    );
    expect(report.summary.suppressed.byRule).toEqual({ 'managed-identity-ids': 1 });
  });

  it.each([
    ['kind', { kind: 'Storage' }, { kind: 'StorageV2' }, 'kind'],
    [
      'accessTier',
      { properties: { accessTier: 'Hot' } },
      { properties: { accessTier: 'Cool' } },
      'properties.accessTier',
    ],
    [
      'a private endpoint connection',
      { properties: { privateEndpointConnections: [] } },
      {
        properties: {
          privateEndpointConnections: [
            {
              id: `${ST}/privateEndpointConnections/pe1`,
              properties: { privateLinkServiceConnectionState: { status: 'Approved' } },
            },
          ],
        },
      },
      'properties.privateEndpointConnections[pe1]',
    ],
  ])(
    'still finds %s (read-only in the model, configuration all the same)',
    (_n, before, after, path) => {
      const report = compareSnapshots(
        snap([{ id: ST, type: 'Microsoft.Storage/storageAccounts', ...before } as ArmResource]),
        snap([{ id: ST, type: 'Microsoft.Storage/storageAccounts', ...after } as ArmResource]),
      );
      expect(report.findings.flatMap((f) => f.changes.map((c) => c.path))).toEqual([path]);
    },
  );

  it('covers at least the 30 most common resource types', () => {
    expect(READ_ONLY_ENTRIES.length).toBeGreaterThanOrEqual(30);
    for (const type of [
      'microsoft.network/virtualnetworks',
      'microsoft.network/networksecuritygroups',
      'microsoft.compute/virtualmachines',
      'microsoft.storage/storageaccounts',
      'microsoft.web/sites',
      'microsoft.keyvault/vaults',
      'microsoft.sql/servers',
      'microsoft.containerservice/managedclusters',
      'microsoft.documentdb/databaseaccounts',
      'microsoft.insights/diagnosticsettings',
    ])
      expect(Object.keys(READ_ONLY_SOURCE.types)).toContain(type);
  });

  it('names only paths the generated data holds in its overrides (none is stale)', () => {
    for (const o of READ_ONLY_OVERRIDES) {
      const types =
        o.resourceType === '*'
          ? Object.keys(READ_ONLY_SOURCE.types)
          : [o.resourceType.toLowerCase()];
      expect(types.some((t) => READ_ONLY_SOURCE.types[t]?.includes(o.path))).toBe(true);
    }
  });

  it('was generated from the SDK versions the generator pins', () => {
    const pins = JSON.parse(
      readFileSync(`${PROJECT_ROOT}/scripts/generate-catalogue/package.json`, 'utf8'),
    ).devDependencies;
    expect(READ_ONLY_SOURCE.packages).toEqual(pins);
  });
});
