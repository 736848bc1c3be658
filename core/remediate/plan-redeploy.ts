import type { RemediationPolicy } from '../config/sections/remediation-config.js';
import { PIPELINE_RUNS_API_VERSION, runPipelineBody } from '../devops/devops-api.js';
import { PermissionError } from '../errors.js';
import type { Finding } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import { currentFinding } from './current-finding.js';
import type { PlannedPipeline, PlannedRequest } from './remediation-plan.js';
import type { RemediationOptions } from './remediation-service.js';

/**
 * Reads a finding's resource before a `redeploy` is planned (read-only: GET through ARM) and
 * checks its drift is still the reported one. Returns the etag and api-version to compare
 * against before the run is queued.
 */
export async function readForRedeploy(
  options: RemediationOptions,
  scope: string,
  finding: Finding,
  baseline: Snapshot,
): Promise<{ apiVersion: string; etag?: string }> {
  const azure = options.azure;
  if (!azure)
    throw new PermissionError(
      'remediation.no-azure',
      'redeploy re-reads the resources from Azure before and after the run (read-only), and no Azure access was configured',
    );
  const apiVersion = await azure.apiVersionOf(finding.resourceId);
  const read = await azure.read(finding.resourceId, apiVersion);
  if (read.kind === 'error')
    throw new PermissionError(
      'remediation.unreadable',
      `${finding.resourceId} could not be read before planning (${read.message}); nothing was planned`,
    );
  const secrets = await storeSecretHasher(options.store);
  const now = currentFinding({
    baseline: protectSnapshot(baseline, secrets),
    resourceId: finding.resourceId,
    current: read.kind === 'resource' ? read.body : undefined,
    rules: await options.rules(scope),
    secrets,
  });
  if (now?.fingerprint !== finding.fingerprint)
    throw new PermissionError(
      'remediation.drift-changed',
      `the drift of ${finding.resourceId} has changed since the last scan (${now ? 'different changes' : 'it is gone'}); scan again and plan from the new report`,
    );
  return { apiVersion, ...(read.kind === 'resource' && read.etag ? { etag: read.etag } : {}) };
}

/**
 * The pipeline a `redeploy` plan queues — the scope's `redeploy` mapping, else the one pipeline
 * the DevOps inventory says deploys every resource — and the exact queue-run request.
 */
export async function planPipeline(
  options: RemediationOptions,
  input: { scope: string; policy: RemediationPolicy; resourceIds: readonly string[] },
): Promise<{ pipeline: PlannedPipeline; request: PlannedRequest }> {
  const devops = options.devops;
  if (!devops)
    throw new PermissionError(
      'remediation.no-devops',
      'redeploy queues an Azure DevOps pipeline, and Azure DevOps is not configured (devops.orgUrl and a token)',
    );
  const mapping = input.policy.redeploy;
  const found = mapping
    ? {
        ...(await devops.findPipeline({
          project: mapping.project,
          ...(mapping.pipelineId !== undefined ? { pipelineId: mapping.pipelineId } : {}),
          ...(mapping.pipeline !== undefined ? { pipeline: mapping.pipeline } : {}),
        })),
        why: `configured in remediation.scopes.${input.scope}.redeploy`,
      }
    : await devops.inferPipeline({ scope: input.scope, resourceIds: input.resourceIds });
  const branch = mapping?.branch
    ? mapping.branch.startsWith('refs/')
      ? mapping.branch
      : `refs/heads/${mapping.branch}`
    : undefined;
  const parameters = mapping?.parameters ?? {};
  const body = runPipelineBody({
    project: found.project,
    pipelineId: found.id,
    ...(branch ? { branch } : {}),
    templateParameters: parameters,
  });
  // The body is stored with the plan and shown in previews: it must not carry a secret.
  const text = JSON.stringify(body);
  if (redactSecrets(text) !== text)
    throw new PermissionError(
      'remediation.secret-in-request',
      `the parameters in remediation.scopes.${input.scope}.redeploy carry a value that looks like a secret (a key, token or connection string); driftwatch never sends or stores secrets: keep it in the pipeline (a secret variable or a variable group)`,
    );
  const base = `${devops.orgUrl}/${encodeURIComponent(found.project)}/_apis/pipelines/${found.id}`;
  return {
    pipeline: {
      orgUrl: devops.orgUrl,
      project: found.project,
      pipelineId: found.id,
      pipelineName: found.name,
      ...(branch ? { branch } : {}),
      parameters,
      source: mapping ? 'config' : 'inferred',
      why: found.why,
    },
    request: {
      resourceId: base,
      method: 'POST',
      url: `${base}/runs?api-version=${PIPELINE_RUNS_API_VERSION}`,
      apiVersion: PIPELINE_RUNS_API_VERSION,
      body,
      omitted: [],
    },
  };
}
