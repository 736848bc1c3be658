import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { buildEngineRules } from '../../core/engine/engine-rules.js';
import type { ArmResource, Snapshot, SnapshotError } from '../../core/model/resource.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app';
const st = (
  name: string,
  props: Record<string, unknown> = {},
  tags: Record<string, string> = { env: 'prod' },
): ArmResource => ({
  id: `${RG}/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  tags,
  properties: { allowBlobPublicAccess: false, ...props },
});
const snap = (resources: ArmResource[], errors: SnapshotError[] = []): Snapshot => ({
  schemaVersion: 1,
  complete: errors.length === 0,
  resources,
  errors,
});
const clock = fixedClock('2026-11-21T10:00:00Z');
const noRules = { ignore: [], severity: { rules: [], overrides: {} } };

describe('compareSnapshots', () => {
  it('finds nothing when only platform noise changed, and counts the noise', () => {
    const before = { ...st('a'), etag: '1', properties: { provisioningState: 'Succeeded' } };
    const after = { ...st('a'), etag: '2', properties: { provisioningState: 'Updating' } };
    const report = compareSnapshots(snap([before]), snap([after]), { clock });
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed).toEqual({
      total: 2,
      byRule: { etag: 1, 'provisioning-state': 1 },
    });
    expect(report.summary.maxSeverity).toBeNull();
    expect(report.complete).toBe(true);
  });

  it('reports added, removed and modified resources with severities, worst first', () => {
    const report = compareSnapshots(
      snap([st('keep'), st('gone')]),
      snap([st('keep', { allowBlobPublicAccess: true }), st('new')]),
      { clock, scope: 'prod' },
    );
    expect(report.findings.map((f) => [f.resourceName, f.change, f.severity, f.rule])).toEqual([
      ['gone', 'removed', 'high', 'resource-removed'],
      ['keep', 'modified', 'high', 'storage-public-blob-access'],
      ['new', 'added', 'medium', 'resource-added'],
    ]);
    expect(report.summary).toMatchObject({
      findings: 3,
      byChange: { added: 1, removed: 1, modified: 1, unknown: 0 },
      bySeverity: { critical: 0, high: 2, medium: 1, low: 0, info: 0 },
      maxSeverity: 'high',
    });
    expect(report.scope).toBe('prod');
    expect(report.generatedAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('matches resources by id case-insensitively', () => {
    const after = { ...st('a'), id: st('a').id.toUpperCase() };
    expect(compareSnapshots(snap([st('a')]), snap([after])).findings).toEqual([]);
  });

  it('reports a resource the current snapshot could not read as unknown, never removed', () => {
    const errors: SnapshotError[] = [
      {
        id: `${RG}/providers/Microsoft.Storage/storageAccounts/gone`,
        message: '403 Forbidden: Microsoft.Storage/storageAccounts/read',
      },
    ];
    const report = compareSnapshots(snap([st('gone')]), snap([], errors));
    expect(report.findings).toEqual([
      expect.objectContaining({
        resourceName: 'gone',
        change: 'unknown',
        severity: 'info',
        reason: '403 Forbidden: Microsoft.Storage/storageAccounts/read',
      }),
    ]);
    expect(report.summary.byChange).toEqual({ added: 0, removed: 0, modified: 0, unknown: 1 });
    expect(report.summary.maxSeverity).toBeNull();
    expect(report.complete).toBe(false);
  });

  it('treats an error on a scope prefix as covering every resource under it', () => {
    const errors = [{ id: `${RG}/`, message: 'page 3 of the resource list failed (503)' }];
    const report = compareSnapshots(snap([st('a'), st('b')]), snap([st('a')], errors));
    expect(report.findings.map((f) => [f.resourceName, f.change])).toEqual([['b', 'unknown']]);
  });

  it('limits a scope error with a resource type to that type', () => {
    const vm: ArmResource = {
      id: `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`,
      type: 'Microsoft.Compute/virtualMachines',
    };
    const errors = [
      { id: RG, resourceType: 'microsoft.storage/storageaccounts', message: 'throttled' },
    ];
    const report = compareSnapshots(snap([st('a'), vm]), snap([], errors));
    expect(report.findings.map((f) => [f.resourceName, f.change])).toEqual([
      ['vm1', 'removed'],
      ['a', 'unknown'],
    ]);
  });

  it('reports a current resource the baseline could not read as unknown, not added', () => {
    const report = compareSnapshots(snap([], [{ id: RG, message: 'timeout' }]), snap([st('a')]));
    expect(report.findings).toEqual([
      expect.objectContaining({
        change: 'unknown',
        reason: 'not readable in the baseline: timeout',
      }),
    ]);
  });

  it('gives the same drift the same fingerprint across runs, and a different one when the drift changes', () => {
    const base = snap([st('a')]);
    const one = compareSnapshots(base, snap([st('a', { allowBlobPublicAccess: true })]));
    const again = compareSnapshots(
      base,
      snap([{ ...st('a', { allowBlobPublicAccess: true }), etag: 'new' }]),
    );
    const other = compareSnapshots(base, snap([st('a', { allowBlobPublicAccess: 'yes' })]));
    expect(one.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(again.findings[0]?.fingerprint).toBe(one.findings[0]?.fingerprint);
    expect(other.findings[0]?.fingerprint).not.toBe(one.findings[0]?.fingerprint);
  });

  it('counts accepted findings instead of listing them', () => {
    const base = snap([st('a')]);
    const cur = snap([st('a', { allowBlobPublicAccess: true })]);
    const fp = compareSnapshots(base, cur).findings[0]?.fingerprint ?? '';
    const report = compareSnapshots(base, cur, {
      accepted: [{ scope: 'prod', fingerprint: fp, by: 'ann', at: '2026-11-21T00:00:00Z' }],
    });
    expect(report.findings).toEqual([]);
    expect(report.summary.accepted).toBe(1);
  });

  describe('ignore rules', () => {
    const base = snap([st('a'), st('b', {}, { env: 'sandbox' })]);
    const cur = snap([
      st('a', { minimumTlsVersion: 'TLS1_0' }, { env: 'Prod' }),
      st('b', { allowBlobPublicAccess: true }, { env: 'sandbox' }),
    ]);

    it.each([
      ['by resource type', { resourceType: 'Microsoft.Storage/*' }, []],
      ['by id glob', { id: '*/storageAccounts/a' }, ['b']],
      ['by tag key=value', { tag: 'env=sandbox' }, ['a']],
      ['by property path glob', { path: 'tags.*' }, ['a', 'b']],
    ])('%s', (_name, rule, remaining) => {
      const rules = buildEngineRules({ config: { ...noRules, ignore: [rule] } });
      const report = compareSnapshots(base, cur, { rules });
      expect(report.findings.map((f) => f.resourceName).sort()).toEqual(remaining);
      expect(report.summary.suppressed.total).toBeGreaterThan(0);
    });

    it('stops applying a rule after it expires', () => {
      const rule = { resourceType: 'Microsoft.Storage/storageAccounts', expires: '2026-11-01' };
      const rules = buildEngineRules({
        config: { ...noRules, ignore: [rule] },
        now: new Date('2026-11-21T00:00:00Z'),
      });
      expect(compareSnapshots(base, cur, { rules }).findings).toHaveLength(2);
      expect(rules.expiredIgnores).toEqual([rule]);
    });

    it('applies .driftignore lines, last match wins, ! re-includes', () => {
      const driftignore =
        '# storage is noisy\nMicrosoft.Storage/storageAccounts.*\n!Microsoft.Storage/storageAccounts.a\nMicrosoft.Storage/storageAccounts.a.tags.env\n';
      const rules = buildEngineRules({ config: noRules, driftignore });
      const report = compareSnapshots(base, cur, { rules });
      expect(report.findings.map((f) => [f.resourceName, f.changes.map((c) => c.path)])).toEqual([
        ['a', ['properties.minimumTlsVersion']],
      ]);
      expect(report.summary.suppressed.byRule).toEqual({
        '.driftignore:2': 1,
        '.driftignore:4': 1,
      });
    });
  });
});
