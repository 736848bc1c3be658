import type { CollectVia } from '../collect/collect-scope-types.js';
import { CHANGE_HISTORY_RETENTION_MS } from '../collect/list-changed-resources.js';
import type { ScanBasis } from './scan-basis.js';

/** `full`: read everything; `incremental`: re-read what changed when a basis allows it. */
export type ScanMode = 'full' | 'incremental';

/** Default cadence of full scans when incremental scans are asked for: daily. */
export const DEFAULT_FULL_SCAN_EVERY_MS = 24 * 3_600_000;

/**
 * How far before the basis the change window starts: Resource Graph records a change in
 * `resourcechanges` some minutes after it happened, so a change made just before the last scan
 * may only have appeared since. Re-reading a resource twice costs one read; missing one costs
 * a false "no drift".
 */
export const CHANGE_FEED_LAG_MS = 30 * 60_000;

/** What a scan will do, and why. */
export type ScanPlan =
  | { mode: 'full'; reason?: string }
  | { mode: 'incremental'; basis: ScanBasis; window: { from: Date; to: Date } };

/**
 * Decides between a full and an incremental scan. Incremental only when asked, with a complete
 * basis of the same scope and collector, a full scan within `fullEveryMs`, and (Resource Graph
 * path) a change window inside the change history's retention; otherwise full, with the reason.
 *
 * @example
 * planScanMode({ requested: 'incremental', basis, targetKey, via: 'graph', now, fullEveryMs })
 */
export function planScanMode(options: {
  requested: ScanMode;
  basis: ScanBasis | undefined;
  targetKey: string;
  via: CollectVia;
  now: Date;
  fullEveryMs?: number;
}): ScanPlan {
  const { basis, now } = options;
  if (options.requested === 'full') return { mode: 'full' };
  if (!basis) return { mode: 'full', reason: 'no complete scan to start from yet' };
  if (basis.targetKey !== options.targetKey)
    return { mode: 'full', reason: 'the scope or collector changed since the last complete scan' };
  const fullEvery = options.fullEveryMs ?? DEFAULT_FULL_SCAN_EVERY_MS;
  const sinceFull = now.getTime() - Date.parse(basis.lastFullAt);
  if (!(sinceFull < fullEvery))
    return {
      mode: 'full',
      reason: `the last full scan was at ${basis.lastFullAt}; a full scan runs every ${formatHours(fullEvery)}`,
    };
  const basisAt = Date.parse(basis.snapshot.collectedAt ?? basis.lastFullAt);
  const from = new Date(basisAt - CHANGE_FEED_LAG_MS);
  if (options.via === 'graph' && now.getTime() - from.getTime() >= CHANGE_HISTORY_RETENTION_MS)
    return {
      mode: 'full',
      reason: `the change window from ${from.toISOString()} is older than the 14 days Azure keeps change history`,
    };
  if (options.via === 'arm' && !basis.changedTimes)
    return { mode: 'full', reason: 'the last complete scan recorded no changedTime to compare' };
  return { mode: 'incremental', basis, window: { from, to: now } };
}

function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
