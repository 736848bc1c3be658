import type { Strategy } from '../config/sections/remediation-config.js';

/** Where a request is in its life. Open: pending, approved, applying; the rest are final. */
export const PLAN_STATES = [
  'pending',
  'approved',
  'applying',
  'applied',
  'failed',
  'rejected',
  'expired',
  'stale',
  'cancelled',
] as const;
export type PlanState = (typeof PLAN_STATES)[number];
export const OPEN_STATES: readonly PlanState[] = ['pending', 'approved', 'applying'];

/** Who acts: an identity string (`cli:alice`, `slack:U024BE7LH`) and the groups it belongs to. */
export interface Actor {
  id: string;
  /** Group identities (`slack-group:S…`, `entra-group:…`) the adapter resolved for this person. */
  groups?: string[];
}

/**
 * One exact request, as planned and as it will be sent (secrets and read-only fields left out):
 * an ARM write (`revert`: PATCH or PUT), or Azure DevOps' queue-run call (`redeploy`: POST, where
 * `resourceId` is the pipeline's REST address and `url` is absolute).
 */
export interface PlannedRequest {
  resourceId: string;
  method: 'PATCH' | 'PUT' | 'POST';
  /** ARM: path and query relative to the endpoint (`/subscriptions/…?api-version=…`); DevOps: absolute. */
  url: string;
  apiVersion: string;
  /** The etag read at plan time, sent as `If-Match` (absent when the type has none). */
  ifMatch?: string;
  body: Record<string, unknown>;
  /** Paths left out of the body, and why (read-only, secret). */
  omitted: string[];
}

/** A resource the plan touches, as it was when planned. */
export interface PlannedResource {
  resourceId: string;
  resourceType: string;
  change: 'modified' | 'added' | 'removed';
  /** The finding's fingerprint when planned: a different one at apply time makes the plan stale. */
  fingerprint: string;
  etag?: string;
  /** The finding's changed property paths. */
  paths: string[];
  /** The api-version it was read with (`redeploy` reads it again before and after the run). */
  apiVersion?: string;
}

/** `redeploy`: the Azure DevOps pipeline a plan queues, and why it is the one. */
export interface PlannedPipeline {
  orgUrl: string;
  project: string;
  pipelineId: number;
  pipelineName: string;
  /** `refs/heads/…`; absent: the pipeline's default branch. */
  branch?: string;
  /** Runtime (template) parameters, as sent. */
  parameters: Record<string, string>;
  /** `config`: `remediation.scopes.<scope>.redeploy`; `inferred`: from the DevOps inventory. */
  source: 'config' | 'inferred';
  why: string;
}

/**
 * What happened to `redeploy`'s run. `queueing` is stored before the queue request is sent and
 * the run id right after it answers, so a process that stops in between leaves `queueing`
 * without an id: reconcile never queues again, it reports the run as unknown.
 */
export interface PipelineRunRecord {
  status: 'queueing' | 'queued' | 'completed' | 'failed' | 'unknown';
  requestedAt: string;
  runId?: number;
  /** The run's page (`_links.web.href`). */
  url?: string;
  /** `inProgress`, `canceling`, `completed`. */
  state?: string;
  /** `succeeded`, `failed`, `canceled`. */
  result?: string;
  finishedAt?: string;
  error?: string;
}

export interface PlanDecision {
  by: string;
  at: string;
  verdict: 'approve' | 'reject';
  reason?: string;
}

/** One step in the plan's history: every transition, who made it and why. */
export interface PlanEvent {
  state: PlanState;
  at: string;
  by: string;
  note?: string;
}

/** What happened to one write. `operation` is the SDK poller's state, kept to resume polling. */
export interface WriteRecord {
  resourceId: string;
  status: 'sending' | 'polling' | 'succeeded' | 'failed' | 'unknown';
  operation?: string;
  error?: string;
}

/** The outcome once applied: did the drift go away? */
export interface Verification {
  at: string;
  /** Findings whose planned paths still differ from the baseline. */
  remaining: Array<{ resourceId: string; paths: string[] }>;
  /** Resources that could not be read back. */
  unreadable: string[];
}

/**
 * A remediation request, stored as one object (key `plan:<id>` in the `remediation` area) and
 * changed only by compare-and-set on `version`, so every transition is decided once across
 * processes.
 */
export interface RemediationPlan {
  id: string;
  version: number;
  /** Nonce of the write that produced this version: how a writer knows its CAS won. */
  writeId: string;
  scope: string;
  strategy: Strategy;
  findings: string[];
  resources: PlannedResource[];
  /** `revert`: the ARM writes. `redeploy`: the queue-run request. `accept`: none. */
  requests: PlannedRequest[];
  /** `redeploy`: the pipeline, its branch and parameters. */
  pipeline?: PlannedPipeline;
  /** `redeploy`: the queued run, once asked for. */
  run?: PipelineRunRecord;
  reason?: string;
  requester: string;
  createdAt: string;
  expiresAt: string;
  state: PlanState;
  approvalsRequired: number;
  decisions: PlanDecision[];
  history: PlanEvent[];
  /** While applying: who holds the apply and until when (renewed while it runs). */
  lease?: { owner: string; until: string };
  writes?: WriteRecord[];
  verification?: Verification;
  /** One line on the final state: why stale, failed, what was applied. */
  outcome?: string;
}
