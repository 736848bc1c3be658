import type { DriftwatchConfig } from '../config/config-schema.js';

/** Whether a scope has a remediation policy, so its summaries offer *Remediate…*. */
export function hasRemediationPolicy(
  config: Pick<DriftwatchConfig, 'remediation'>,
  scope: string,
): boolean {
  return Object.keys(config.remediation?.scopes ?? {}).some(
    (name) => name.toLowerCase() === scope.toLowerCase(),
  );
}
