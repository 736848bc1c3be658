import { PermissionError } from '../errors.js';
import type { Snapshot } from '../model/resource.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { acceptIntoBaseline } from './accept-into-baseline.js';
import { writablePath } from './build-revert-request.js';
import { currentFinding } from './current-finding.js';
import type { WriteOutcome } from './remediation-azure.js';
import type { PlanState, RemediationPlan, Verification, WriteRecord } from './remediation-plan.js';
import type { Remediation } from './remediation-service.js';
import { runRedeploy } from './run-redeploy.js';

/**
 * Runs a plan this process holds in `applying` (its lease) to a final state. On `reconciling`,
 * nothing is ever sent: an accepted write is polled to its end from the saved poller state, and
 * a write whose fate is unknown is marked failed for a person to look at.
 */
export async function runApply(
  remediation: Remediation,
  claimed: RemediationPlan,
  by: string,
  options: { reconciling?: boolean } = {},
): Promise<RemediationPlan> {
  const { store, clock, config } = remediation.options;
  const owner = claimed.lease?.owner;
  const leaseMs = (config.remediation?.applyLeaseSeconds ?? 300) * 1000;
  let plan = claimed;

  /** Compare-and-set while holding the lease (renewing it); a lost lease stops this run. */
  const save = async (
    mutate: (p: RemediationPlan) => Omit<RemediationPlan, 'version' | 'writeId'>,
  ) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (plan.lease?.owner !== owner || plan.state !== 'applying')
        throw new PermissionError(
          'remediation.lease-lost',
          `plan ${plan.id} was taken over by ${plan.lease?.owner ?? 'another process'} while this process applied it`,
        );
      const next = mutate(plan);
      const result = await remediation.repository.cas(plan, {
        ...next,
        ...(next.state === 'applying' && owner
          ? { lease: { owner, until: new Date(clock.now().getTime() + leaseMs).toISOString() } }
          : {}),
      });
      plan = result.plan;
      if (result.won) return plan;
    }
    throw new PermissionError(
      'remediation.contended',
      `plan ${plan.id} kept changing while it was applied`,
    );
  };
  const finish = async (state: PlanState, note: string, extra: Partial<RemediationPlan> = {}) => {
    const done = await save((p) => ({ ...remediation.moved(p, state, by, note), ...extra }));
    await remediation.audit(
      done,
      by,
      state === 'stale' ? 'stale' : state === 'applied' ? 'verify' : 'apply',
      state === 'applied' ? 'ok' : 'failed',
      note,
    );
    return done;
  };
  const record = (write: WriteRecord) =>
    save(({ version: _v, writeId: _w, ...p }) => ({
      ...p,
      writes: [...(p.writes ?? []).filter((w) => w.resourceId !== write.resourceId), write],
    }));

  /** Renews the lease every third of its length while a long-running operation is followed. */
  const heartbeat = async <T>(work: () => Promise<T>): Promise<T> => {
    const timer = setInterval(() => {
      save(({ version: _v, writeId: _w, ...p }) => p).catch(() => undefined);
    }, leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  };

  if (plan.strategy === 'redeploy')
    return runRedeploy({
      remediation,
      plan: () => plan,
      by,
      reconciling: options.reconciling === true,
      save,
      finish,
      heartbeat,
    });

  const secrets = await remediation.secrets();
  const rules = await remediation.options.rules(plan.scope);
  const baselineOf = async (): Promise<Snapshot | undefined> => {
    const found = await store.getBaseline(plan.scope);
    return found ? protectSnapshot(found.snapshot, secrets) : undefined;
  };

  if (plan.strategy === 'accept') {
    let alreadySettled = false;
    try {
      await acceptIntoBaseline({
        store,
        scope: plan.scope,
        resources: plan.resources,
        by,
        note: `accepted through plan ${plan.id} requested by ${plan.requester}${plan.reason ? `: ${plan.reason}` : ''}`,
        verify(baseline, current) {
          const safe = protectSnapshot(baseline, secrets);
          let settled = 0;
          for (const resource of plan.resources) {
            const now = current.resources.find(
              (r) => r.id.toLowerCase() === resource.resourceId.toLowerCase(),
            );
            const finding = currentFinding({
              baseline: safe,
              resourceId: resource.resourceId,
              current: now,
              rules,
              secrets,
            });
            if (!finding) settled++;
            else if (finding.fingerprint !== resource.fingerprint)
              throw new PermissionError(
                'remediation.stale',
                `the drift of ${resource.resourceId} changed since the plan; plan again`,
              );
          }
          // No drift left on any of them: already accepted (a reconciled apply that had written
          // the baseline before it stopped), or the resources went back; nothing to merge.
          if (settled === plan.resources.length) {
            alreadySettled = true;
            return false;
          }
          if (settled > 0)
            throw new PermissionError(
              'remediation.stale',
              `part of plan ${plan.id}'s drift is gone since the plan; plan again`,
            );
          return true;
        },
      });
    } catch (error) {
      if (error instanceof PermissionError && error.code === 'remediation.stale')
        return finish('stale', error.message);
      if (error instanceof PermissionError) return finish('failed', error.message);
      throw error;
    }
    if (alreadySettled)
      return finish(
        'applied',
        `nothing left to accept: the baseline of ${plan.scope} already matches the current state on these paths`,
        {
          verification: { at: clock.now().toISOString(), remaining: [], unreadable: [] },
        },
      );
    return finish(
      'applied',
      `the baseline of ${plan.scope} now holds the current values of ${plan.resources.map((r) => r.paths.length).reduce((a, b) => a + b, 0)} path(s)`,
      {
        verification: { at: clock.now().toISOString(), remaining: [], unreadable: [] },
      },
    );
  }

  const azure = remediation.options.azure;
  if (!azure)
    return finish(
      'failed',
      'revert needs Azure access, and none was configured; nothing was written',
    );
  const baseline = await baselineOf();
  if (!baseline)
    return finish('failed', `scope ${plan.scope} has no baseline any more; nothing was written`);
  const findingNow = async (resourceId: string, apiVersion: string) => {
    const read = await azure.read(resourceId, apiVersion);
    if (read.kind === 'error') return { read, finding: undefined };
    const current = read.kind === 'resource' ? read.body : undefined;
    return { read, finding: currentFinding({ baseline, resourceId, current, rules, secrets }) };
  };
  /** The planned paths that still differ from the baseline. */
  const remainingOf = (
    resourceId: string,
    finding: Awaited<ReturnType<typeof findingNow>>['finding'],
  ) => {
    // A resource deleted (or re-created) since has no changed paths to compare: the whole of it
    // differs, so it is never taken for reverted (nor a lost write for one that landed).
    if (finding && finding.change !== 'modified') return [finding.change];
    const planned = plan.resources.find((r) => r.resourceId === resourceId);
    const wanted = new Set((planned?.paths ?? []).map((p) => writablePath(p).join('.')));
    return (finding?.changes ?? [])
      .map((c) => c.path)
      .filter((p) => wanted.has(writablePath(p).join('.')));
  };

  if (!options.reconciling) {
    for (const request of plan.requests) {
      const planned = plan.resources.find((r) => r.resourceId === request.resourceId);
      const { read, finding } = await findingNow(request.resourceId, request.apiVersion);
      if (read.kind !== 'resource')
        return finish(
          read.kind === 'gone' ? 'stale' : 'failed',
          `${request.resourceId} ${read.kind === 'gone' ? 'no longer exists' : `could not be re-read (${read.message})`}; nothing was written`,
        );
      if (
        (planned?.etag && read.etag !== planned.etag) ||
        finding?.fingerprint !== planned?.fingerprint
      )
        return finish(
          'stale',
          `${request.resourceId} changed since the plan (${planned?.etag && read.etag !== planned.etag ? `etag ${planned.etag} → ${read.etag}` : 'different drift'}); nothing was written; plan again`,
        );
    }
  }

  for (const request of plan.requests) {
    const existing = plan.writes?.find((w) => w.resourceId === request.resourceId);
    let outcome: WriteOutcome;
    if (options.reconciling) {
      if (existing?.status === 'succeeded') continue;
      if (existing?.status === 'polling' && existing.operation) {
        outcome = await heartbeat(() => azure.resume(request, existing.operation as string));
      } else if (existing?.status === 'sending') {
        const { read, finding } = await findingNow(request.resourceId, request.apiVersion);
        // Only a resource read back without the drift proves the write landed; unreadable is unknown.
        if (read.kind !== 'error' && remainingOf(request.resourceId, finding).length === 0) {
          await record({ resourceId: request.resourceId, status: 'succeeded' });
          continue;
        }
        await record({
          resourceId: request.resourceId,
          status: 'unknown',
          error: 'the applying process stopped while sending; not re-sent',
        });
        return finish(
          'failed',
          `the process applying plan ${plan.id} stopped while sending the write to ${request.resourceId}, ${read.kind === 'error' ? `which cannot be read now (${read.message})` : 'and the drift is still there'}; nothing was re-sent: check the resource and plan again`,
        );
      } else if (existing) {
        return finish(
          'failed',
          `writing ${request.resourceId} failed: ${existing.error ?? existing.status}`,
        );
      } else {
        return finish(
          'failed',
          `the process applying plan ${plan.id} stopped before writing ${request.resourceId}; nothing was sent to it: plan again`,
        );
      }
    } else {
      await record({ resourceId: request.resourceId, status: 'sending' });
      outcome = await heartbeat(() =>
        azure.write(request, async (operation) => {
          await record({ resourceId: request.resourceId, status: 'polling', operation });
        }),
      );
    }
    await remediation.audit(
      plan,
      by,
      'write',
      outcome.kind === 'succeeded' ? 'ok' : 'failed',
      `${request.method} ${request.resourceId}: ${outcome.kind}${'message' in outcome ? ` (${outcome.message})` : ''}`,
      [request],
    );
    if (outcome.kind === 'precondition-failed') {
      // 412: the etag moved. If our own write landed (a retried request), the drift is gone —
      // which only a successful read can show.
      const { read, finding } = await findingNow(request.resourceId, request.apiVersion);
      if (
        read.kind === 'error' ||
        remainingOf(request.resourceId, finding).length > 0 ||
        plan.writes?.some((w) => w.resourceId === request.resourceId && w.status === 'polling')
      ) {
        await record({ resourceId: request.resourceId, status: 'failed', error: outcome.message });
        const earlier = plan.writes?.filter((w) => w.status === 'succeeded').length ?? 0;
        return finish(
          'stale',
          `${request.resourceId} changed since the plan (ARM answered 412 Precondition Failed to If-Match ${request.ifMatch}); ${earlier ? `it was not written (${earlier} earlier write(s) of this plan were)` : 'nothing was written'}; plan again`,
        );
      }
    } else if (outcome.kind !== 'succeeded') {
      await record({ resourceId: request.resourceId, status: 'failed', error: outcome.message });
      return finish(
        'failed',
        outcome.kind === 'forbidden'
          ? `the Azure identity may not write ${request.resourceId} (403): grant it a role with write permission on the scope (see README, Remediation) — ${outcome.message}`
          : `writing ${request.resourceId} failed: ${outcome.message}`,
      );
    }
    await record({ resourceId: request.resourceId, status: 'succeeded' });
  }

  const verification: Verification = {
    at: clock.now().toISOString(),
    remaining: [],
    unreadable: [],
  };
  for (const request of plan.requests) {
    const { read, finding } = await findingNow(request.resourceId, request.apiVersion);
    if (read.kind === 'error') verification.unreadable.push(request.resourceId);
    const remaining = remainingOf(request.resourceId, finding);
    if (remaining.length)
      verification.remaining.push({ resourceId: request.resourceId, paths: remaining });
  }
  const left = verification.remaining.length + verification.unreadable.length;
  return finish(
    'applied',
    left === 0
      ? `${plan.requests.length} write(s) applied; the drift is gone`
      : `${plan.requests.length} write(s) applied; still drifted: ${verification.remaining.map((r) => `${r.resourceId} (${r.paths.join(', ')})`).join('; ') || 'none'}${verification.unreadable.length ? `; could not verify: ${verification.unreadable.join(', ')}` : ''}`,
    { verification },
  );
}
