import type { DriftStore } from '../store/drift-store.js';
import { ApiError } from './api-error.js';
import type { BaselineVersionsPort } from './api-route.js';

/**
 * Baseline versions over the store's baseline history (newest first; version 1 is the oldest
 * kept) and restore as a new baseline made from the chosen version's snapshot, noting who and why.
 */
export function storeBaselineVersions(store: DriftStore): BaselineVersionsPort {
  const versions = async (scope: string) => {
    const history = await store.baselineHistory(scope);
    return history.map((record, i) => ({ ...record, version: history.length - i }));
  };
  return {
    versions,
    async restore({ scope, version, by, reason }) {
      const kept = await versions(scope);
      const chosen = kept.find((v) => v.version === version);
      if (!chosen) {
        throw new ApiError(
          'bad-parameter',
          `version: ${scope} has no version ${version}; kept versions are ${kept.map((v) => v.version).join(', ') || 'none'}`,
          { parameter: 'version' },
        );
      }
      const snapshot = await store.getSnapshot(chosen.snapshotId);
      if (!snapshot) {
        throw new ApiError(
          'not-found',
          `version ${version} of ${scope} no longer has its snapshot`,
          {
            parameter: 'version',
          },
        );
      }
      const record = await store.setBaseline(scope, snapshot, {
        setBy: by,
        note: `restored version ${version}: ${reason}`,
      });
      return { ...record, version: kept.length + 1 };
    },
  };
}
