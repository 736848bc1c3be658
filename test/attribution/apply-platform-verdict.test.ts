import { describe, expect, it } from 'vitest';
import { AZURE_SYSTEM_CHANGE } from '../../core/attribution/apply-platform-verdict.js';
import { attributeFindings } from '../../core/attribution/attribute-findings.js';
import type {
  ChangeHistorySource,
  ResourceChangeRecord,
} from '../../core/attribution/attribution-sources.js';
import { toChangeRecord } from '../../core/collect/resource-graph-change-source.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import type { ArmResource, Snapshot } from '../../core/model/resource.js';
import { renderText } from '../../core/report/render-text.js';

const AKS =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod';
const from = new Date('2026-11-20T00:00:00Z');
const to = new Date('2026-11-21T00:00:00Z');
const snap = (resources: ArmResource[]): Snapshot => ({
  schemaVersion: 1,
  complete: true,
  resources,
  errors: [],
});
const cluster = (nodeImage: string, pools: number, authorizedRanges: string[]): ArmResource => ({
  id: AKS,
  type: 'Microsoft.ContainerService/managedClusters',
  properties: {
    agentPoolProfiles: [{ name: 'system', count: pools, osSKU: nodeImage }],
    apiServerAccessProfile: { authorizedIPRanges: authorizedRanges },
  },
});

/** A change history that answers from a fixed list (the real port's shape). */
function fakeHistory(records: ResourceChangeRecord[]): ChangeHistorySource {
  return { listChanges: async () => ({ changes: records, errors: [] }) };
}

/** Attributes the AKS drift with these change records as Azure's history. */
const attributeWith = (records: ResourceChangeRecord[]) =>
  attributeFindings(drift(), { window: { from, to }, changes: fakeHistory(records) });

/** One record on the AKS cluster: these properties, this category, at this time. */
const aksRecord = (
  changedAt: string,
  changes: { path: string; category: 'User' | 'System' }[],
): ResourceChangeRecord => ({ resourceId: AKS, changedAt, propertyChanges: changes });

const drift = () =>
  compareSnapshots(
    snap([cluster('Ubuntu', 3, ['203.0.113.0/24'])]),
    snap([cluster('AzureLinux', 5, ['0.0.0.0/0'])]),
  );

describe('applyPlatformVerdict (Azure records who made each property change)', () => {
  it('sets aside a change Azure recorded as System and keeps the user change as the finding', async () => {
    const report = await attributeWith([
      aksRecord('2026-11-20T10:00:00Z', [
        { path: 'properties.agentPoolProfiles[0].count', category: 'System' },
        { path: 'properties.agentPoolProfiles[0].osSKU', category: 'System' },
        { path: 'properties.apiServerAccessProfile.authorizedIPRanges', category: 'User' },
      ]),
    ]);
    expect(report.findings.map((f) => f.changes.map((c) => c.path))).toEqual([
      ['properties.apiServerAccessProfile.authorizedIPRanges'],
    ]);
    expect(report.findings[0]?.rule).toBe('address-list-admits-any');
    expect(report.platform?.map((f) => f.changes.map((c) => c.path))).toEqual([
      ['properties.agentPoolProfiles[system].count', 'properties.agentPoolProfiles[system].osSKU'],
    ]);
    expect(report.summary.suppressed.byRule[AZURE_SYSTEM_CHANGE]).toBe(2);
    expect(report.summary.findings).toBe(1);
  });

  it('lists the platform changes in text only with --all, and counts them otherwise', async () => {
    const report = await attributeWith([
      aksRecord('2026-11-20T10:00:00Z', [
        { path: 'properties.agentPoolProfiles[0].count', category: 'System' },
      ]),
    ]);
    const brief = renderText(report, { color: false });
    const all = renderText(report, { color: false, all: true });
    expect(brief).toContain("  1 change Azure recorded as the platform's own (--all lists them)");
    expect(brief).not.toContain('PLATFORM');
    expect(all).toContain('  PLATFORM  aks-prod  properties.agentPoolProfiles[system].count');
    expect(all).toContain('3 → 5  · Azure recorded it as a platform change');
  });

  it('keeps a change that both a user and the platform touched (the user wins)', async () => {
    const report = await attributeWith([
      aksRecord('2026-11-20T10:00:00Z', [
        { path: 'properties.agentPoolProfiles[0].count', category: 'System' },
      ]),
      aksRecord('2026-11-20T11:00:00Z', [
        { path: 'properties.agentPoolProfiles[0].count', category: 'User' },
      ]),
    ]);
    expect(report.findings[0]?.changes.map((c) => c.path)).toContain(
      'properties.agentPoolProfiles[system].count',
    );
    expect(report.platform).toBeUndefined();
  });

  it('ignores System records outside the window', async () => {
    const report = await attributeWith([
      aksRecord('2026-11-22T10:00:00Z', [
        { path: 'properties.agentPoolProfiles[0].count', category: 'System' },
      ]),
    ]);
    expect(report.findings[0]?.changes).toHaveLength(3);
    expect(report.summary.suppressed.byRule[AZURE_SYSTEM_CHANGE]).toBeUndefined();
  });

  it('reads changeCategory from a resourcechanges row, without the values', () => {
    const record = toChangeRecord({
      properties: {
        targetResourceId: AKS,
        changeType: 'Update',
        changeAttributes: { timestamp: '2026-11-20T10:00:00Z', changedBy: 'Unspecified' },
        changes: {
          'properties.agentPoolProfiles[0].count': {
            changeCategory: 'System',
            propertyChangeType: 'Update',
            previousValue: '3',
            newValue: '5',
          } as { changeCategory: string },
        },
      },
    });
    expect(record?.propertyChanges).toEqual([
      { path: 'properties.agentPoolProfiles[0].count', category: 'System' },
    ]);
  });
});
