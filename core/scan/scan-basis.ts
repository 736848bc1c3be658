import type { CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import type { Snapshot } from '../model/resource.js';
import type { DriftStore } from '../store/drift-store.js';

/** Store area: per scope, the last complete snapshot an incremental scan starts from. */
export const SCAN_BASIS_AREA = 'scan-basis';

/**
 * What an incremental scan carries forward from: the last complete snapshot (secrets already
 * hashed), the ARM `changedTime` of each listed resource, and when the last full scan was.
 */
export interface ScanBasis {
  /** The scope's target and collector as a key: a changed scope never reuses a basis. */
  targetKey: string;
  snapshot: Snapshot;
  /** ARM path: lower-case id → `changedTime` as listed when `snapshot` was collected. */
  changedTimes?: Record<string, string>;
  /** When the last full scan (the one this chain of incremental scans started from) began. */
  lastFullAt: string;
}

/** The key that must match for a basis to be reused: subscriptions, groups, filters, collector. */
export function targetKeyOf(target: CollectTarget, via: CollectVia): string {
  const sorted = (values?: string[]) => [...(values ?? [])].map((v) => v.toLowerCase()).sort();
  return JSON.stringify({
    via,
    subscriptions: sorted(target.subscriptions),
    resourceGroups: sorted(target.resourceGroups),
    includeTypes: sorted(target.includeTypes),
    excludeTypes: sorted(target.excludeTypes),
    tags: Object.entries(target.tags ?? {})
      .map(([k, v]) => [k.toLowerCase(), v.toLowerCase()])
      .sort(),
  });
}

/** The scope's basis, if a complete scan left one. */
export function readScanBasis(store: DriftStore, scope: string): Promise<ScanBasis | undefined> {
  return store.keyValue<ScanBasis>(SCAN_BASIS_AREA).get(scope);
}

/** Keeps a complete snapshot as the scope's basis (an incomplete one is never a basis). */
export async function saveScanBasis(
  store: DriftStore,
  scope: string,
  basis: ScanBasis,
): Promise<void> {
  if (!basis.snapshot.complete) return;
  await store.keyValue<ScanBasis>(SCAN_BASIS_AREA).set(scope, basis);
}
