import type { Attribution, Finding, Report } from '../model/report.js';
import type { ArmResource } from '../model/resource.js';
import { describeError } from '../redact/redact-secrets.js';
import { applyPlatformVerdict } from './apply-platform-verdict.js';
import type {
  ChangeHistorySource,
  DeploymentRecord,
  DeploymentSource,
  ResourceChangeRecord,
} from './attribution-sources.js';
import { deploymentTargets, overlapsWindow } from './match-deployment.js';

/** The evidence attribution reads; each source is optional. */
export interface AttributionInput {
  deployments?: DeploymentSource;
  changes?: ChangeHistorySource;
  /** Baseline collectedAt/setAt → current collectedAt (see {@link attributionWindow}). */
  window: { from: Date; to: Date };
  /** Current snapshot resources, for `systemData.lastModifiedBy/At`. */
  resources?: readonly ArmResource[];
  signal?: AbortSignal;
}

type Lookup =
  | { ok: true; deployments: DeploymentRecord[] }
  | { ok: false; reason: string; configured: boolean };

/** How far around a run a recorded change still counts as the run's own (clock skew, async writes). */
const RUN_SLACK_MS = 5 * 60_000;

/**
 * Says what most likely caused each finding, in order of evidence: a deployment (environment
 * deployment record or pipeline run) that targeted the resource's subscription / resource group
 * inside the window; else who Azure says changed it (Resource Graph `resourcechanges`, then the
 * resource's `systemData`); else, only when every deployment in the window was read, "no
 * deployment in the window — likely a manual change". When deployments could not be read, or a
 * deployment to an environment with undeclared targets ran in the window, the answer is
 * `unknown` (naming those deployments), never `manual`. Findings of kind `unknown` are left as they are.
 * Changes Azure recorded as the platform's own are then set aside (see {@link applyPlatformVerdict}).
 *
 * @example
 * const attributed = await attributeFindings(report, { deployments, changes, window: attributionWindow(report, baseline) });
 */
export async function attributeFindings(report: Report, input: AttributionInput): Promise<Report> {
  const targets = report.findings.filter((f) => f.change !== 'unknown');
  if (targets.length === 0) return report;
  const [lookup, history] = await Promise.all([
    readDeployments(input),
    readChanges(input, targets),
  ]);
  const byId = new Map((input.resources ?? []).map((r) => [r.id.toLowerCase(), r]));
  const findings = report.findings.map((f) =>
    f.change === 'unknown'
      ? f
      : {
          ...f,
          attribution: attribute(
            f,
            lookup,
            history,
            byId.get(f.resourceId.toLowerCase()),
            input.window,
          ),
        },
  );
  const attributed = { ...report, findings };
  // Azure's per-property verdict (User or System) turns platform changes into counted noise.
  return history instanceof Map
    ? applyPlatformVerdict(attributed, history, input.window)
    : attributed;
}

/** The attribution window for a report: baseline collected (or set) → current collected. */
export function attributionWindow(
  report: Report,
  baselineSetAt?: string,
): { from: Date; to: Date } {
  const from = report.baseline.collectedAt ?? baselineSetAt ?? report.generatedAt;
  const to = report.current.collectedAt ?? report.generatedAt;
  return { from: new Date(from), to: new Date(to) };
}

function attribute(
  finding: Finding,
  lookup: Lookup,
  history: Map<string, ResourceChangeRecord[]> | { error: string },
  resource: ArmResource | undefined,
  window: { from: Date; to: Date },
): Attribution {
  const change =
    history instanceof Map
      ? latest(history.get(finding.resourceId.toLowerCase()) ?? [], window)
      : undefined;
  // Azure's own change record wins when it shows the change happened outside the run: a
  // deployment at 09:02 does not explain a portal edit at 09:31 in the same resource group.
  let ranBefore: DeploymentRecord | undefined;
  if (lookup.ok) {
    const hit = lookup.deployments.find(
      (d) => overlapsWindow(d, window) && deploymentTargets(d, finding.resourceId),
    );
    if (hit && (!change || duringRun(change.changedAt, hit, window))) {
      return fromDeployment(hit, deploymentTargets(hit, finding.resourceId) === 'inferred');
    }
    ranBefore = hit;
  }
  // Deployments to an environment whose targets nobody declared may have touched anything.
  const unmapped = lookup.ok
    ? lookup.deployments.filter(
        (d) => d.environment && d.targets.length === 0 && overlapsWindow(d, window),
      )
    : [];
  const caveat = !lookup.ok
    ? lookup.configured
      ? ` (deployments not checked: ${lookup.reason})`
      : ''
    : unmapped.length > 0
      ? ` (${describeUnmapped(unmapped)})`
      : ranBefore
        ? ` (outside pipeline "${ranBefore.pipeline}" run ${ranBefore.runId}, which also targeted it)`
        : ' (no deployment in window)';
  if (change?.changedBy) {
    return compact({
      kind: 'actor',
      summary: `${change.changedBy}${change.clientType ? ` via ${change.clientType}` : ''}, ${formatAt(change.changedAt)}${caveat}`,
      actor: change.changedBy,
      clientType: change.clientType,
      operation: change.operation,
      at: change.changedAt,
    });
  }
  const modified = systemDataChange(resource, window);
  if (modified) {
    return compact({
      kind: 'actor',
      summary: `${modified.by}${modified.type ? ` (${modified.type})` : ''}, ${formatAt(modified.at)}${caveat}`,
      actor: modified.by,
      clientType: modified.type,
      at: modified.at,
    });
  }
  if (!lookup.ok) {
    return {
      kind: 'unknown',
      summary: lookup.configured
        ? `cause unknown: ${lookup.reason}`
        : 'cause unknown: Azure recorded no change in the window, and Azure DevOps is not configured to check deployments',
    };
  }
  if (unmapped.length > 0) {
    return {
      kind: 'unknown',
      summary: `cause unknown: no deployment known to target it, but ${describeUnmapped(unmapped)} (say what they deploy to in devops.targets)`,
    };
  }
  return { kind: 'manual', summary: 'no deployment in the window — likely a manual change' };
}

/** `1 deployment with unmapped targets in the window: pipeline "x" run 7 to env-y`. */
function describeUnmapped(deployments: DeploymentRecord[]): string {
  const named = deployments
    .slice(0, 2)
    .map((d) => `pipeline "${d.pipeline}" run ${d.runId} to ${d.environment}`)
    .join(', ');
  const more = deployments.length > 2 ? ` and ${deployments.length - 2} more` : '';
  const noun = deployments.length === 1 ? 'deployment' : 'deployments';
  return `${deployments.length} ${noun} with unmapped targets in the window: ${named}${more}`;
}

function duringRun(
  changedAt: string,
  run: DeploymentRecord,
  window: { from: Date; to: Date },
): boolean {
  const at = Date.parse(changedAt);
  const start = Date.parse(run.startedAt) - RUN_SLACK_MS;
  const end = (run.finishedAt ? Date.parse(run.finishedAt) : window.to.getTime()) + RUN_SLACK_MS;
  return at >= start && at <= end;
}

function fromDeployment(d: DeploymentRecord, inferred: boolean): Attribution {
  const env = d.environment ? ` to ${d.environment}` : '';
  return {
    kind: 'deployment',
    summary: `pipeline "${d.pipeline}" run ${d.runId}${env}, ${formatAt(d.startedAt)}${inferred ? ' (matched by resource group name)' : ''}`,
    at: d.startedAt,
    run: compact({ pipeline: d.pipeline, id: d.runId, url: d.url, environment: d.environment }),
  };
}

async function readDeployments(input: AttributionInput): Promise<Lookup> {
  if (!input.deployments)
    return { ok: false, reason: 'Azure DevOps is not configured', configured: false };
  try {
    const result = await input.deployments.listDeployments({
      ...input.window,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (result.partial)
      return {
        ok: false,
        configured: true,
        reason: `deployments could not all be read (${result.errors[0] ?? 'incomplete'})`,
      };
    return { ok: true, deployments: result.deployments };
  } catch (error) {
    return {
      ok: false,
      configured: true,
      reason: `Azure DevOps could not be read: ${describeError(error)}`,
    };
  }
}

async function readChanges(
  input: AttributionInput,
  findings: Finding[],
): Promise<Map<string, ResourceChangeRecord[]> | { error: string }> {
  if (!input.changes) return new Map();
  try {
    const { changes } = await input.changes.listChanges({
      resourceIds: findings.map((f) => f.resourceId),
      ...input.window,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const map = new Map<string, ResourceChangeRecord[]>();
    for (const c of changes) {
      const key = c.resourceId.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), c]);
    }
    return map;
  } catch (error) {
    return { error: describeError(error) };
  }
}

function latest(
  changes: ResourceChangeRecord[],
  window: { from: Date; to: Date },
): ResourceChangeRecord | undefined {
  return changes
    .filter(
      (c) =>
        Date.parse(c.changedAt) >= window.from.getTime() &&
        Date.parse(c.changedAt) <= window.to.getTime(),
    )
    .sort((a, b) => Date.parse(b.changedAt) - Date.parse(a.changedAt))[0];
}

function systemDataChange(resource: ArmResource | undefined, window: { from: Date; to: Date }) {
  const data = resource?.systemData as
    | { lastModifiedBy?: string; lastModifiedByType?: string; lastModifiedAt?: string }
    | undefined;
  if (!data?.lastModifiedBy || !data.lastModifiedAt) return undefined;
  const at = Date.parse(data.lastModifiedAt);
  if (!(at >= window.from.getTime() && at <= window.to.getTime())) return undefined;
  return { by: data.lastModifiedBy, type: data.lastModifiedByType, at: new Date(at).toISOString() };
}

/** `2026-11-21 09:14 UTC`. */
function formatAt(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function compact<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
