import { randomBytes } from 'node:crypto';
import { idKey } from '../engine/resource-identity.js';
import { PermissionError, StoreError } from '../errors.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import { LATEST_SNAPSHOT_AREA } from '../scan/run-scan.js';
import type { DriftStore } from '../store/drift-store.js';
import { writablePath } from './build-revert-request.js';
import { type Json, setAt, valueAt } from './json-path.js';
import type { PlannedResource } from './remediation-plan.js';

/**
 * The baseline with the accepted resources' paths taken from `current` (and nothing else):
 * a modified resource gets only the finding's paths, an added one joins, a removed one leaves.
 */
export function mergeAccepted(
  baseline: Snapshot,
  current: Snapshot,
  resources: readonly PlannedResource[],
): Snapshot {
  const now = new Map(current.resources.map((r) => [idKey(r.id), r]));
  let out = baseline.resources.map((r) => r);
  for (const resource of resources) {
    const key = idKey(resource.resourceId);
    const after = now.get(key);
    if (resource.change === 'removed') {
      out = out.filter((r) => idKey(r.id) !== key);
    } else if (resource.change === 'added') {
      if (after) out = [...out.filter((r) => idKey(r.id) !== key), structuredClone(after)];
    } else {
      out = out.map((r) => {
        if (idKey(r.id) !== key) return r;
        const next = structuredClone(r) as Json;
        for (const path of resource.paths) {
          const at = writablePath(path);
          setAt(next, at, valueAt(after, at), 'delete');
        }
        return next as ArmResource;
      });
    }
  }
  return { ...baseline, resources: out };
}

/**
 * Makes the current state the baseline for the given paths, under a per-scope lock in the store
 * so two acceptances at once both land (each re-reads the baseline after taking the lock).
 */
export async function acceptIntoBaseline(input: {
  store: DriftStore;
  scope: string;
  resources: readonly PlannedResource[];
  by: string;
  note: string;
  /** The check that the drift is still the one planned: throws to refuse, false when there is nothing to merge. */
  verify: (baseline: Snapshot, current: Snapshot) => boolean;
}): Promise<void> {
  const locks = input.store.keyValue<string>('remediation-locks');
  const key = `baseline:${input.scope.toLowerCase()}`;
  const owner = randomBytes(8).toString('hex');
  const deadline = Date.now() + 15_000;
  while ((await locks.setIfAbsent(key, owner, 30_000)) !== owner) {
    if (Date.now() > deadline)
      throw new StoreError(
        'store.busy',
        `the baseline of scope ${input.scope} stayed locked for 15 s; try again`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    const baseline = await input.store.getBaseline(input.scope);
    const current = await input.store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).get(input.scope);
    if (!baseline || !current)
      throw new PermissionError(
        'remediation.no-current-state',
        `scope ${input.scope} has ${baseline ? 'no collected snapshot' : 'no baseline'} in the store; run driftwatch scan ${input.scope} first`,
      );
    if (!input.verify(baseline.snapshot, current)) return;
    const next = mergeAccepted(baseline.snapshot, current, input.resources);
    await input.store.setBaseline(input.scope, next, { setBy: input.by, note: input.note });
  } finally {
    await locks.update(key, (held) => (held === owner ? undefined : held));
  }
}
