import { UsageError } from '../errors.js';
import type { DriftStore } from '../store/drift-store.js';
import { ApiError } from './api-error.js';
import type { BaselineVersionsPort } from './api-route.js';

/**
 * Baseline versions over the store's numbered baseline history (newest first; numbers are stable
 * and never reused, the same the CLI's `baseline versions` shows) and restore as the store's
 * atomic restore: a new version that records who, why and which version it brings back.
 */
export function storeBaselineVersions(store: DriftStore): BaselineVersionsPort {
  return {
    versions: (scope) => store.baselineVersions(scope),
    async restore({ scope, version, by, reason }) {
      try {
        return await store.restoreBaseline(scope, version, { setBy: by, note: reason });
      } catch (error) {
        if (error instanceof UsageError && error.code === 'usage.no-baseline-version') {
          const kept = (await store.baselineVersions(scope)).map((v) => v.version);
          throw new ApiError(
            'bad-parameter',
            `version: ${scope} has no version ${version}; kept versions are ${kept.join(', ') || 'none'}`,
            { parameter: 'version' },
          );
        }
        throw error;
      }
    },
  };
}
