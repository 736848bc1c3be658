import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { EngineRules } from '../engine/engine-rules.js';
import { isDriftwatchError, PermissionError } from '../errors.js';
import type { Sleep } from '../resilience/abortable-sleep.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import { awaitStoreAnswer } from '../store/await-store-answer.js';
import type { DriftStore } from '../store/drift-store.js';
import { type AuditAction, type AuditEntry, appendAudit } from './audit-log.js';
import { buildPlan, type PlanInput } from './build-plan.js';
import { checkChangeWindow, formatLocalTime } from './check-change-window.js';
import { alreadyOpen, guarded, PlanRepository } from './plan-repository.js';
import type { RemediationAzure } from './remediation-azure.js';
import type { RemediationDevOps } from './remediation-devops.js';
import {
  type Actor,
  OPEN_STATES,
  type PlannedRequest,
  type PlanState,
  type RemediationPlan,
} from './remediation-plan.js';
import { approvalRefusal, isApprover, policyFor } from './remediation-policy.js';
import { runApply } from './run-apply.js';

/** What {@link Remediation} needs from its host; every part injected. */
export interface RemediationOptions {
  store: DriftStore;
  config: Pick<DriftwatchConfig, 'remediation'>;
  clock: Clock;
  /** The engine rules scans of a scope use (fingerprints must match the report's). */
  rules: (scope: string) => Promise<EngineRules>;
  /** Needed for `revert` (plan, apply, reconcile) and, read-only, `redeploy`; `accept` never calls Azure. */
  azure?: RemediationAzure;
  /** Needed for `redeploy`: the rate-limited Azure DevOps adapter. */
  devops?: RemediationDevOps & { close?(): Promise<void> };
  /** Waits between polls of a `redeploy` run (default: a real timer). */
  sleep?: Sleep;
  /** Names this process in apply leases (default `host:pid`). */
  processId?: string;
  /** How long the store may take to answer before a call is refused as unreachable (default 5 s). */
  storeAnswerMs?: number;
}

type Draft = Omit<RemediationPlan, 'version' | 'writeId'>;

/** The decision a caller's change function returns: the next plan, and what to audit. */
export interface Decision {
  next: Draft;
  action: AuditAction;
  message?: string;
  requests?: PlannedRequest[];
}

/**
 * The chat-agnostic remediation workflow: plan → approve (N of M) → apply → verify, with the
 * audit log. The CLI calls it directly; chat adapters render its plans and call the same
 * methods with the clicking person as the actor. Every state change is a compare-and-set in the
 * store, so double clicks, retries, replicas and CLI-plus-chat produce one decision and at most
 * one apply; a store that cannot be reached refuses everything (`store.unavailable`).
 *
 * @example
 * const remediation = new Remediation({ store, config, clock, rules, azure });
 * const plan = await remediation.plan({ scope: 'prod', findings: ['7f3a12c4'], strategy: 'revert', actor: { id: 'cli:ada' } });
 * await remediation.approve({ id: plan.id, actor: { id: 'slack:U024BE7LH' } });
 * await remediation.apply({ id: plan.id, actor: { id: 'cli:ada' } });
 */
export class Remediation {
  readonly repository: PlanRepository;
  private readonly processId: string;

  constructor(readonly options: RemediationOptions) {
    this.repository = new PlanRepository(options.store, options.clock);
    this.processId = options.processId ?? `${hostname()}:${process.pid}`;
  }

  /**
   * Builds a plan for findings of the scope's latest report. With `dryRun` nothing is stored
   * (the preview); otherwise the plan is stored as `pending` and audited.
   */
  plan(input: PlanInput): Promise<RemediationPlan> {
    return this.guarded('planned', () => this.planUnguarded(input));
  }

  private async planUnguarded(input: PlanInput): Promise<RemediationPlan> {
    const plan = await buildPlan(this.options, input);
    if (input.dryRun) {
      for (const resource of plan.resources) {
        const open = await this.repository.openRequestFor(plan.scope, resource.resourceId);
        if (open) throw alreadyOpen(resource.resourceId, plan.scope, open);
      }
      return plan;
    }
    await this.repository.create(plan);
    await this.audit(plan, input.actor.id, 'request', 'ok', input.reason, plan.requests);
    return plan;
  }

  /**
   * Runs `work` only once the store has answered a read within `storeAnswerMs`, failing closed
   * with `store.unavailable` otherwise. A Redis client that waits for a reconnect would leave a
   * click or command hanging with no answer; a read that answers late is harmless, and no
   * decision is sent before the store has answered, so a refusal here never turns into a
   * decision later.
   */
  private guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
    return guarded(what, async () => {
      await awaitStoreAnswer(
        () => this.repository.probe(),
        this.options.storeAnswerMs ?? 5_000,
        `nothing was ${what} (remediation fails closed)`,
      );
      return work();
    });
  }

  /** Releases what the workflow opened (the Azure DevOps limiter and its Redis connection). */
  async close(): Promise<void> {
    await this.options.devops?.close?.();
  }

  /** The plan (by id or unique prefix), marked expired first if its time is up. */
  show(id: string): Promise<RemediationPlan> {
    return this.guarded('read', async () => this.expireIfDue(await this.repository.get(id)));
  }

  /** Plans newest first (expired ones marked), optionally of one scope or in some states. */
  list(
    filter: { scope?: string; states?: readonly PlanState[]; limit?: number } = {},
  ): Promise<RemediationPlan[]> {
    return this.guarded('read', async () => {
      const plans = await this.repository.list(filter.scope ? { scope: filter.scope } : {});
      const fresh = await Promise.all(plans.map((p) => this.expireIfDue(p)));
      return fresh
        .filter((p) => !filter.states || filter.states.includes(p.state))
        .slice(0, filter.limit);
    });
  }

  /** An approval by an approver (not the requester, unless the policy allows); N of them approve the plan. */
  approve(input: { id: string; actor: Actor; reason?: string }): Promise<RemediationPlan> {
    return this.guarded('approved', () => this.decide(input, 'approve'));
  }

  /** One approver's rejection ends the request. */
  reject(input: { id: string; actor: Actor; reason?: string }): Promise<RemediationPlan> {
    return this.guarded('rejected', () => this.decide(input, 'reject'));
  }

  /** The requester or an approver withdraws an open request that is not being applied. */
  cancel(input: { id: string; actor: Actor; reason?: string }): Promise<RemediationPlan> {
    return this.guarded('cancelled', () => this.cancelUnguarded(input));
  }

  private cancelUnguarded(input: {
    id: string;
    actor: Actor;
    reason?: string;
  }): Promise<RemediationPlan> {
    return this.change(input.id, input.actor.id, 'cancel', (plan) => {
      const policy = policyFor(this.options.config, plan.scope);
      if (plan.state !== 'pending' && plan.state !== 'approved')
        throw refusal(
          'remediation.not-open',
          `plan ${plan.id} is ${plan.state}; only a pending or approved plan can be cancelled`,
        );
      if (
        plan.requester.toLowerCase() !== input.actor.id.toLowerCase() &&
        !isApprover(policy, input.actor)
      )
        throw refusal(
          'remediation.not-allowed',
          `${input.actor.id} neither requested plan ${plan.id} nor approves scope ${plan.scope}, so they cannot cancel it`,
        );
      return {
        next: this.moved(plan, 'cancelled', input.actor.id, input.reason),
        action: 'cancel',
        ...(input.reason ? { message: input.reason } : {}),
      };
    });
  }

  /**
   * Applies an approved plan: inside a change window, once (the approved → applying transition
   * is a compare-and-set, so a second caller is refused), after re-reading every resource (a
   * changed etag or fingerprint makes the plan `stale`, nothing written), then verifies.
   */
  apply(input: { id: string; actor: Actor }): Promise<RemediationPlan> {
    return this.guarded('applied', () => this.applyUnguarded(input));
  }

  private async applyUnguarded(input: { id: string; actor: Actor }): Promise<RemediationPlan> {
    const leaseMs = (this.options.config.remediation?.applyLeaseSeconds ?? 300) * 1000;
    const owner = `${this.processId}:${randomBytes(4).toString('hex')}`;
    const claimed = await this.change(input.id, input.actor.id, 'apply', (plan) => {
      const policy = policyFor(this.options.config, plan.scope);
      if (plan.state === 'pending')
        throw refusal(
          'remediation.not-approved',
          `plan ${plan.id} has ${approvals(plan)} of ${plan.approvalsRequired} approvals; it cannot be applied yet`,
        );
      if (plan.state === 'applying')
        throw refusal(
          'remediation.already-applying',
          `plan ${plan.id} is already being applied (${plan.lease?.owner ?? 'another process'}, since ${plan.history.at(-1)?.at})`,
        );
      if (plan.state !== 'approved')
        throw refusal(
          'remediation.not-open',
          `plan ${plan.id} is ${plan.state}${plan.outcome ? ` (${plan.outcome})` : ''}; it cannot be applied`,
        );
      if (
        plan.requester.toLowerCase() !== input.actor.id.toLowerCase() &&
        !isApprover(policy, input.actor)
      )
        throw refusal(
          'remediation.not-allowed',
          `${input.actor.id} neither requested plan ${plan.id} nor approves scope ${plan.scope}, so they cannot apply it`,
        );
      const window = checkChangeWindow(policy.windows, policy.timezone, this.options.clock.now());
      if (!window.open)
        throw refusal(
          'remediation.outside-window',
          `scope ${plan.scope} allows changes only in its change windows (${policy.windows.map((w) => `${w.days.join(',')} ${w.from}-${w.to}`).join('; ')} ${policy.timezone}); ${window.opensAt ? `the next opens at ${formatLocalTime(window.opensAt, policy.timezone)} (${window.opensAt.toISOString()})` : 'none opens within a week'}`,
          window.opensAt ? { opensAt: window.opensAt.toISOString() } : {},
        );
      return {
        next: {
          ...this.moved(plan, 'applying', input.actor.id),
          lease: {
            owner,
            until: new Date(this.options.clock.now().getTime() + leaseMs).toISOString(),
          },
          writes: [],
        },
        action: 'apply',
        requests: plan.requests,
      };
    });
    return runApply(this, claimed, input.actor.id);
  }

  /**
   * Finishes plans left `applying` by a process that stopped (lease expired): resumes polling a
   * write ARM accepted, and marks anything it cannot prove as failed. Never sends a write again.
   * Only plans of scopes with a policy in this configuration. Hosts call it at start; the CLI's
   * remediate verbs call it first.
   */
  reconcile(actor: Actor): Promise<RemediationPlan[]> {
    return this.guarded('reconciled', () => this.reconcileUnguarded(actor));
  }

  private async reconcileUnguarded(actor: Actor): Promise<RemediationPlan[]> {
    const now = this.options.clock.now();
    const leaseMs = (this.options.config.remediation?.applyLeaseSeconds ?? 300) * 1000;
    // Only plans of scopes this configuration has a policy for: another deployment sharing the
    // store (or a CLI with a narrower config) has its own rules and Azure access to finish them.
    const configured = Object.keys(this.options.config.remediation?.scopes ?? {}).map((s) =>
      s.toLowerCase(),
    );
    const stuck = (await this.repository.list()).filter(
      (p) =>
        p.state === 'applying' &&
        (!p.lease || new Date(p.lease.until) <= now) &&
        configured.includes(p.scope.toLowerCase()),
    );
    const done: RemediationPlan[] = [];
    for (const plan of stuck) {
      const owner = `${this.processId}:${randomBytes(4).toString('hex')}`;
      const taken = await this.repository.cas(plan, {
        ...plan,
        lease: { owner, until: new Date(now.getTime() + leaseMs).toISOString() },
        history: [
          ...plan.history,
          {
            state: 'applying',
            at: now.toISOString(),
            by: actor.id,
            note: `reconciling: ${plan.lease?.owner ?? 'unknown process'} stopped`,
          },
        ],
      });
      if (!taken.won) continue;
      await this.audit(
        taken.plan,
        actor.id,
        'reconcile',
        'ok',
        `took over from ${plan.lease?.owner ?? 'unknown process'}`,
      );
      done.push(await runApply(this, taken.plan, actor.id, { reconciling: true }));
    }
    return done;
  }

  /**
   * Compare-and-set loop: `decide` sees the stored plan and returns the next one or throws a
   * refusal (audited). A lost race re-reads and decides again on the winner's plan.
   */
  async change(
    id: string,
    by: string,
    action: AuditAction,
    decide: (plan: RemediationPlan) => Decision,
  ): Promise<RemediationPlan> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const plan = await this.expireIfDue(await this.repository.get(id));
      let decision: Decision;
      try {
        if (plan.state === 'expired')
          throw refusal(
            'remediation.expired',
            `plan ${plan.id} expired at ${plan.expiresAt}; plan again`,
          );
        decision = decide(plan);
      } catch (error) {
        if (isDriftwatchError(error) && error instanceof PermissionError)
          await this.audit(plan, by, 'refuse', 'refused', `${action}: ${error.message}`);
        throw error;
      }
      const result = await this.repository.cas(plan, decision.next);
      if (result.won) {
        await this.audit(
          result.plan,
          by,
          decision.action,
          'ok',
          decision.message,
          decision.requests,
        );
        return result.plan;
      }
    }
    throw new PermissionError(
      'remediation.contended',
      `plan ${id} kept changing under this request; try again`,
    );
  }

  /** The plan moved to `state`, with the history event. */
  moved(plan: RemediationPlan, state: PlanState, by: string, note?: string): Draft {
    const { version: _v, writeId: _w, ...rest } = plan;
    return {
      ...rest,
      state,
      history: [
        ...plan.history,
        { state, at: this.options.clock.now().toISOString(), by, ...(note ? { note } : {}) },
      ],
      ...(note && !OPEN_STATES.includes(state) ? { outcome: note } : {}),
    };
  }

  /** Appends to the audit log. */
  audit(
    plan: RemediationPlan,
    actor: string,
    action: AuditAction,
    result: AuditEntry['result'],
    message?: string,
    requests?: PlannedRequest[],
  ): Promise<void> {
    return appendAudit(this.options.store, {
      at: this.options.clock.now().toISOString(),
      actor,
      action,
      planId: plan.id,
      scope: plan.scope,
      strategy: plan.strategy,
      state: plan.state,
      result,
      ...(message ? { message } : {}),
      ...(requests?.length ? { requests } : {}),
    });
  }

  /** The secret hasher scans use, so fingerprints compare. */
  secrets() {
    return storeSecretHasher(this.options.store);
  }

  private decide(
    input: { id: string; actor: Actor; reason?: string },
    verdict: 'approve' | 'reject',
  ) {
    return this.change(input.id, input.actor.id, verdict, (plan) => {
      const policy = policyFor(this.options.config, plan.scope);
      if (plan.state !== 'pending')
        throw refusal(
          'remediation.not-pending',
          `plan ${plan.id} is ${plan.state}${plan.state === 'approved' ? ` (approved by ${approvers(plan)})` : ''}; only a pending plan can be ${verdict === 'approve' ? 'approved' : 'rejected'}`,
        );
      const refused = approvalRefusal(policy, plan, input.actor, verdict);
      if (refused) throw refused;
      const at = this.options.clock.now().toISOString();
      const decisions = [
        ...plan.decisions,
        { by: input.actor.id, at, verdict, ...(input.reason ? { reason: input.reason } : {}) },
      ];
      const withDecision = { ...plan, decisions };
      const enough =
        decisions.filter((d) => d.verdict === 'approve').length >= plan.approvalsRequired;
      const next =
        verdict === 'reject'
          ? this.moved(
              withDecision,
              'rejected',
              input.actor.id,
              input.reason ?? `rejected by ${input.actor.id}`,
            )
          : enough
            ? this.moved(withDecision, 'approved', input.actor.id, input.reason)
            : (({ version: _v, writeId: _w, ...rest }) => rest)(withDecision);
      return {
        next,
        action: verdict,
        message: `${approvals({ ...plan, decisions })} of ${plan.approvalsRequired} approvals${input.reason ? `: ${input.reason}` : ''}`,
      };
    });
  }

  private async expireIfDue(plan: RemediationPlan): Promise<RemediationPlan> {
    if (
      (plan.state !== 'pending' && plan.state !== 'approved') ||
      new Date(plan.expiresAt) > this.options.clock.now()
    )
      return plan;
    const result = await this.repository.cas(
      plan,
      this.moved(
        plan,
        'expired',
        'driftwatch',
        `expired at ${plan.expiresAt} before it was applied`,
      ),
    );
    if (result.won)
      await this.audit(result.plan, 'driftwatch', 'expire', 'ok', result.plan.outcome);
    return result.won ? result.plan : this.expireIfDue(result.plan);
  }
}

function refusal(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): PermissionError {
  return new PermissionError(code, message, { details });
}

const approvals = (plan: RemediationPlan) =>
  plan.decisions.filter((d) => d.verdict === 'approve').length;
const approvers = (plan: RemediationPlan) =>
  plan.decisions
    .filter((d) => d.verdict === 'approve')
    .map((d) => d.by)
    .join(', ');
