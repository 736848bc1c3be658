import { compareSnapshots } from '../engine/compare-snapshots.js';
import type { EngineRules } from '../engine/engine-rules.js';
import { idKey } from '../engine/resource-identity.js';
import type { Finding } from '../model/report.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import { protectResource } from '../secrets/protect-snapshot.js';
import type { SecretHasher } from '../secrets/secret-marker.js';

/**
 * The drift of one resource now: its baseline version against `current` (raw from ARM; secrets
 * become keyed hashes first, as in a scan). Undefined when there is no drift. Used to check that
 * a finding is still the one planned (same fingerprint) and, after apply, what remains.
 */
export function currentFinding(input: {
  baseline: Snapshot;
  resourceId: string;
  current: ArmResource | undefined;
  rules: EngineRules;
  secrets: SecretHasher;
}): Finding | undefined {
  const key = idKey(input.resourceId);
  const before = input.baseline.resources.filter((r) => idKey(r.id) === key);
  const after = input.current ? [protectResource(input.current, input.secrets)] : [];
  const one = (resources: ArmResource[]): Snapshot => ({
    schemaVersion: 1,
    complete: true,
    resources,
    errors: [],
  });
  const report = compareSnapshots(one(before), one(after), { rules: input.rules });
  return report.findings.find((f) => idKey(f.resourceId) === key);
}
