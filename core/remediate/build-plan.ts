import { parseDuration } from '../commands/parse-duration.js';
import type { Strategy } from '../config/sections/remediation-config.js';
import { PermissionError, UsageError } from '../errors.js';
import { MIN_ID_PREFIX } from '../model/min-id-prefix.js';
import type { Finding } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import { buildRevertRequest } from './build-revert-request.js';
import { currentFinding } from './current-finding.js';
import { planPipeline, readForRedeploy } from './plan-redeploy.js';
import { PlanRepository } from './plan-repository.js';
import type {
  Actor,
  PlannedRequest,
  PlannedResource,
  RemediationPlan,
} from './remediation-plan.js';
import { policyFor, requireStrategy } from './remediation-policy.js';
import type { RemediationOptions } from './remediation-service.js';

/** What a person asks for: findings of a scope's latest report and how to remediate them. */
export interface PlanInput {
  scope: string;
  /** Fingerprints, or unique prefixes of at least four characters. */
  findings: readonly string[];
  strategy: Strategy;
  actor: Actor;
  reason?: string;
  /** The preview: build the plan, store nothing. */
  dryRun?: boolean;
}

/**
 * Builds a `pending` plan (not stored): checks the scope's policy and strategy, finds the
 * findings in the latest report, and for `revert` re-reads each resource from ARM, checks its
 * drift is still the reported one, and builds the exact request with the etag read now; for
 * `redeploy` re-reads them the same way (read-only) and plans the pipeline run.
 */
export async function buildPlan(
  options: RemediationOptions,
  input: PlanInput,
): Promise<RemediationPlan> {
  const { store, clock } = options;
  const policy = policyFor(options.config, input.scope);
  requireStrategy(policy, input.scope, input.strategy);
  if (input.findings.length === 0)
    throw new UsageError(
      'usage.no-finding',
      'name at least one finding (its fingerprint or a prefix of 4 or more characters)',
    );
  const [latest] = await store.listReports({ scope: input.scope, limit: 1 });
  const report = latest ? await store.getReport(latest.id) : undefined;
  if (!report)
    throw new UsageError(
      'usage.no-report',
      `no report for scope "${input.scope}" yet; run driftwatch scan ${input.scope} first`,
    );
  const findings = input.findings.map((wanted) =>
    pickFinding(report.report.findings, wanted, input.scope),
  );
  const baseline = await store.getBaseline(input.scope);
  if (!baseline)
    throw new UsageError(
      'usage.no-baseline',
      `scope "${input.scope}" has no baseline; driftwatch scan ${input.scope} --save-baseline records one`,
    );
  const resources: PlannedResource[] = [];
  const requests: PlannedRequest[] = [];
  for (const finding of findings) {
    if (finding.change === 'unknown')
      throw new PermissionError(
        'remediation.unknown-resource',
        `${finding.resourceId} could not be read in the last scan, so there is nothing known to remediate; scan again`,
      );
    const resource: PlannedResource = {
      resourceId: finding.resourceId,
      resourceType: finding.resourceType,
      change: finding.change,
      fingerprint: finding.fingerprint,
      paths: finding.changes.map((c) => c.path),
    };
    if (input.strategy === 'revert') {
      const request = await planRevert(options, input.scope, finding, baseline.snapshot);
      if (request.ifMatch) resource.etag = request.ifMatch;
      requests.push(request);
    } else if (input.strategy === 'redeploy') {
      const read = await readForRedeploy(options, input.scope, finding, baseline.snapshot);
      resource.apiVersion = read.apiVersion;
      if (read.etag) resource.etag = read.etag;
    }
    resources.push(resource);
  }
  const redeploy =
    input.strategy === 'redeploy'
      ? await planPipeline(options, {
          scope: input.scope,
          policy,
          resourceIds: resources.map((r) => r.resourceId),
        })
      : undefined;
  if (redeploy) requests.push(redeploy.request);
  const now = clock.now();
  const plan: RemediationPlan = {
    id: PlanRepository.newId(),
    version: 1,
    writeId: 'created',
    scope: input.scope,
    strategy: input.strategy,
    findings: findings.map((f) => f.fingerprint),
    resources,
    requests,
    ...(redeploy ? { pipeline: redeploy.pipeline } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    requester: input.actor.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (parseDuration(policy.expiry) ?? 86_400_000)).toISOString(),
    state: 'pending',
    approvalsRequired: policy.approvals,
    decisions: [],
    history: [
      {
        state: 'pending',
        at: now.toISOString(),
        by: input.actor.id,
        ...(input.reason ? { note: input.reason } : {}),
      },
    ],
  };
  return plan;
}

async function planRevert(
  options: RemediationOptions,
  scope: string,
  finding: Finding,
  baseline: Snapshot,
): Promise<PlannedRequest> {
  const azure = options.azure;
  if (!azure)
    throw new PermissionError(
      'remediation.no-azure',
      'revert needs Azure access (credentials and endpoints), and none was configured',
    );
  const apiVersion = await azure.apiVersionOf(finding.resourceId);
  const read = await azure.read(finding.resourceId, apiVersion);
  if (read.kind !== 'resource')
    throw new PermissionError(
      'remediation.unreadable',
      `${finding.resourceId} could not be read before planning (${read.kind === 'gone' ? 'it no longer exists' : read.message}); nothing was planned`,
    );
  const secrets = await storeSecretHasher(options.store);
  const safeBaseline = protectSnapshot(baseline, secrets);
  const rules = await options.rules(scope);
  const now = currentFinding({
    baseline: safeBaseline,
    resourceId: finding.resourceId,
    current: read.body,
    rules,
    secrets,
  });
  if (now?.fingerprint !== finding.fingerprint)
    throw new PermissionError(
      'remediation.drift-changed',
      `the drift of ${finding.resourceId} has changed since the last scan (${now ? 'different changes' : 'it is gone'}); scan again and plan from the new report`,
    );
  const base = safeBaseline.resources.find(
    (r) => r.id.toLowerCase() === finding.resourceId.toLowerCase(),
  );
  if (!base)
    throw new PermissionError(
      'remediation.cannot-revert',
      `${finding.resourceId} is not in the baseline`,
    );
  return buildRevertRequest({
    finding,
    baseline: base,
    current: read.body,
    apiVersion,
    ...(read.etag ? { etag: read.etag } : {}),
  });
}

function pickFinding(findings: readonly Finding[], wanted: string, scope: string): Finding {
  const w = wanted.trim().toLowerCase();
  if (w.length < MIN_ID_PREFIX || !/^[0-9a-f]+$/.test(w))
    throw new UsageError(
      'usage.bad-finding',
      `"${wanted}" is not a finding id: give its fingerprint or a prefix of at least ${MIN_ID_PREFIX} hex characters, as the report shows in [brackets]`,
    );
  const matches = findings.filter((f) => f.fingerprint.startsWith(w));
  if (matches.length === 0)
    throw new UsageError(
      'usage.no-finding',
      `no finding "${wanted}" in the latest report of scope "${scope}"; the report lists each finding's fingerprint in [brackets]`,
    );
  if (matches.length > 1)
    throw new UsageError(
      'usage.ambiguous-finding',
      `"${wanted}" matches ${matches.length} findings; give more of the fingerprint`,
    );
  return matches[0] as Finding;
}
