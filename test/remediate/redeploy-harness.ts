import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { parseConfig } from '../../core/config/load-config.js';
import { openDevOps } from '../../core/devops/open-devops.js';
import type { ArmResource } from '../../core/model/resource.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { ArmSimulator } from '../sim/arm/start-arm-simulator.js';
import type { DevOpsSim } from '../sim/devops/start-devops-sim.js';
import {
  remediationConfigDocument,
  remediationEstate,
  STORAGE_ID,
  simRemediation,
} from './remediation-harness.js';

/** The token the DevOps simulator accepts (all scopes unless a test says otherwise). */
export const DEVOPS_PAT = 'sim-pat';

/** The scope's redeploy mapping the tests use: api-deploy in project platform, from main. */
export const API_DEPLOY = {
  project: 'platform',
  pipeline: 'api-deploy',
  branch: 'main',
  parameters: { environment: 'prod', replicas: 3 },
};

/**
 * The config document of a scope whose policy allows `redeploy`, pointing at both simulators.
 * Runs are polled every 20 ms (up to 80 ms) so tests do not wait for the default 5 s.
 */
export function redeployConfigDocument(
  arm: ArmSimulator,
  devops: DevOpsSim,
  options: {
    redeploy?: Record<string, unknown> | null;
    scope?: string;
    extra?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const redeploy = options.redeploy === undefined ? API_DEPLOY : options.redeploy;
  const document = remediationConfigDocument(
    arm,
    { strategies: ['redeploy', 'accept'], ...(redeploy ? { redeploy } : {}) },
    { runPollSeconds: 0.02, runPollMaxSeconds: 0.08, ...options.extra },
    options.scope,
  );
  return { ...document, devops: { orgUrl: devops.orgUrl, requestsPerMinute: 6_000 } };
}

export function redeployConfig(
  arm: ArmSimulator,
  devops: DevOpsSim,
  options: Parameters<typeof redeployConfigDocument>[2] = {},
): DriftwatchConfig {
  return parseConfig(redeployConfigDocument(arm, devops, options), 'test');
}

/** The workflow wired to both simulators, as the CLI wires it, with a fast DevOps budget. */
export function simRedeployRemediation(
  arm: ArmSimulator,
  store: DriftStore,
  config: DriftwatchConfig,
  clock: Clock,
): Remediation {
  return simRemediation(arm, store, config, clock, {
    env: { AZURE_DEVOPS_PAT: DEVOPS_PAT },
    openDevOpsSession: (o) =>
      openDevOps({
        ...o,
        clock: systemClock,
        requestsPerMinute: 60_000,
        limiterId: `redeploy-test-${randomBytes(4).toString('hex')}`,
        retry: { random: () => 0, baseDelayMs: 1 },
      }),
  });
}

/** What the pipeline does when its run succeeds: deploys the baseline storage account again. */
export function deployBaseline(arm: ArmSimulator): void {
  const storage = remediationEstate().find((r) => r.id === STORAGE_ID) as ArmResource;
  arm.estate.put(storage);
}
