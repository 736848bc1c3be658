import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { PermissionError, StoreError, UsageError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import type { DriftStore, KeyValue } from '../store/drift-store.js';
import { OPEN_STATES, type RemediationPlan } from './remediation-plan.js';

/** Store area of the plans (`plan:<id>`) and the open-request locks (`open:<scope>|<resource>`). */
export const REMEDIATION_AREA = 'remediation';
const INDEX_LOG = 'remediation-plans';

interface OpenLock {
  planId: string;
  expiresAt: string;
}
interface IndexEntry {
  id: string;
  scope: string;
  createdAt: string;
}

/** The outcome of a compare-and-set: the plan as stored now, and whether this call wrote it. */
export interface CasResult {
  plan: RemediationPlan;
  won: boolean;
}

const lockKey = (scope: string, resourceId: string) =>
  `open:${scope.toLowerCase()}|${resourceId.toLowerCase()}`;

/** The refusal for a second open request on a resource. */
export function alreadyOpen(resourceId: string, scope: string, planId: string): PermissionError {
  return new PermissionError(
    'remediation.already-open',
    `${resourceId} already has an open remediation request in scope ${scope} (plan ${planId}); approve, reject or cancel it first`,
    { details: { planId } },
  );
}

/**
 * Fail closed: a store failure becomes `store.unavailable`, saying nothing was decided or applied
 * (the backends turn every I/O failure into a StoreError; other errors pass unchanged).
 */
export async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof StoreError) || error.code === 'store.unavailable') throw error;
    throw new StoreError(
      'store.unavailable',
      `the store cannot be reached, so nothing was ${what} (remediation fails closed): ${describeError(error)}`,
      { cause: error },
    );
  }
}

/**
 * Plans in the store. Every change is a compare-and-set on the plan's `version` through
 * `KeyValue.update` (a SQLite `BEGIN IMMEDIATE` transaction or a Redis Lua script), so two
 * processes deciding at once produce one decision: the loser sees the winner's plan.
 */
export class PlanRepository {
  private readonly kv: KeyValue<RemediationPlan | OpenLock>;

  constructor(
    private readonly store: DriftStore,
    private readonly clock: Clock,
  ) {
    this.kv = store.keyValue<RemediationPlan | OpenLock>(REMEDIATION_AREA);
  }

  /** Any read of the store: whether it answers at all. */
  async probe(): Promise<void> {
    await this.kv.get('probe');
  }

  /** A fresh plan id: 12 hex characters. */
  static newId(): string {
    return randomBytes(6).toString('hex');
  }

  /** The plan by full id or unique prefix (at least 4 characters); a clear error otherwise. */
  async get(idOrPrefix: string): Promise<RemediationPlan> {
    const wanted = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{4,12}$/.test(wanted))
      throw new UsageError(
        'usage.bad-plan-id',
        `"${idOrPrefix}" is not a plan id: plan ids are 12 hex characters (a unique prefix of 4 or more works), as remediate list shows`,
      );
    const exact = wanted.length === 12 ? await this.kv.get(`plan:${wanted}`) : undefined;
    if (exact) return exact as RemediationPlan;
    const ids = (await this.index()).map((e) => e.id).filter((id) => id.startsWith(wanted));
    if (ids.length > 1)
      throw new UsageError(
        'usage.ambiguous-plan-id',
        `plan id "${idOrPrefix}" matches ${ids.length} plans; give more characters`,
      );
    const plan = ids[0] ? await this.kv.get(`plan:${ids[0]}`) : undefined;
    if (!plan)
      throw new UsageError(
        'usage.no-plan',
        `no remediation plan "${idOrPrefix}"; remediate list shows the plans`,
      );
    return plan as RemediationPlan;
  }

  /** Plans newest first, optionally of one scope. */
  async list(options: { scope?: string; limit?: number } = {}): Promise<RemediationPlan[]> {
    const entries = (await this.index()).filter(
      (e) => !options.scope || e.scope.toLowerCase() === options.scope.toLowerCase(),
    );
    const plans = await Promise.all(
      entries.slice(0, options.limit ?? entries.length).map((e) => this.kv.get(`plan:${e.id}`)),
    );
    return plans.filter((p): p is RemediationPlan => p !== undefined);
  }

  /**
   * Stores a new plan after taking the open-request lock of every resource it touches: at most
   * one open request per scope and resource. A lock held by a plan that is no longer open (or
   * past its expiry) is taken over by compare-and-set.
   */
  async create(plan: RemediationPlan): Promise<RemediationPlan> {
    const taken: string[] = [];
    try {
      for (const resource of plan.resources) {
        const key = lockKey(plan.scope, resource.resourceId);
        const holder = await this.holderOf(key);
        const replaceable = holder && !holder.open ? holder.planId : undefined;
        const lock: OpenLock = { planId: plan.id, expiresAt: plan.expiresAt };
        const written = (await this.kv.update(key, (current) => {
          const held = current as OpenLock | undefined;
          return !held || held.planId === replaceable ? lock : held;
        })) as OpenLock | undefined;
        if (written?.planId !== plan.id)
          throw alreadyOpen(resource.resourceId, plan.scope, written?.planId ?? '?');
        taken.push(key);
      }
      await this.kv.set(`plan:${plan.id}`, plan);
      await this.store
        .appendLog<IndexEntry>(INDEX_LOG)
        .append({ id: plan.id, scope: plan.scope, createdAt: plan.createdAt });
      return plan;
    } catch (error) {
      for (const key of taken) await this.releaseKey(key, plan.id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Compare-and-set: writes `next` only if the stored plan still has `expected.version`.
   * Returns the stored plan and whether this call's write is the one that landed.
   */
  async cas(
    expected: RemediationPlan,
    next: Omit<RemediationPlan, 'version' | 'writeId'>,
  ): Promise<CasResult> {
    const writeId = randomBytes(8).toString('hex');
    const candidate: RemediationPlan = { ...next, version: expected.version + 1, writeId };
    const stored = (await this.kv.update(`plan:${expected.id}`, (current) => {
      const plan = current as RemediationPlan | undefined;
      return plan && plan.version === expected.version ? candidate : plan;
    })) as RemediationPlan | undefined;
    if (!stored) throw new UsageError('usage.no-plan', `plan ${expected.id} is gone`);
    const won = stored.writeId === writeId;
    if (won && !OPEN_STATES.includes(stored.state)) await this.release(stored);
    return { plan: stored, won };
  }

  /** Frees the open-request locks a final plan held. */
  private async release(plan: RemediationPlan): Promise<void> {
    for (const resource of plan.resources)
      await this.releaseKey(lockKey(plan.scope, resource.resourceId), plan.id);
  }

  private async releaseKey(key: string, planId: string): Promise<void> {
    await this.kv.update(key, (current) =>
      (current as OpenLock | undefined)?.planId === planId ? undefined : current,
    );
  }

  /** Who holds `key`, and whether that plan is still open (a final, missing or expired one is not). */
  private async holderOf(key: string): Promise<{ planId: string; open: boolean } | undefined> {
    const held = (await this.kv.get(key)) as OpenLock | undefined;
    if (!held) return undefined;
    const plan = (await this.kv.get(`plan:${held.planId}`)) as RemediationPlan | undefined;
    const expired =
      plan !== undefined &&
      plan.state !== 'applying' &&
      new Date(plan.expiresAt) <= this.clock.now();
    return { planId: held.planId, open: !!plan && OPEN_STATES.includes(plan.state) && !expired };
  }

  /** The open request on a resource of a scope, if any (for a preview to say so early). */
  async openRequestFor(scope: string, resourceId: string): Promise<string | undefined> {
    const holder = await this.holderOf(lockKey(scope, resourceId));
    return holder?.open ? holder.planId : undefined;
  }

  private async index(): Promise<IndexEntry[]> {
    return this.store.appendLog<IndexEntry>(INDEX_LOG).list();
  }
}
