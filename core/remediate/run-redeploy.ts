import type { DevOpsRun } from '../devops/devops-inventory.js';
import { isDriftwatchError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import { abortableSleep } from '../resilience/abortable-sleep.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { currentFinding } from './current-finding.js';
import type {
  PipelineRunRecord,
  PlannedResource,
  PlanState,
  RemediationPlan,
  Verification,
} from './remediation-plan.js';
import type { Remediation } from './remediation-service.js';

type Draft = Omit<RemediationPlan, 'version' | 'writeId'>;

/** The lease-holding helpers {@link runApply} gives a strategy. */
export interface ApplyContext {
  remediation: Remediation;
  /** The plan as this process last stored it. */
  plan: () => RemediationPlan;
  by: string;
  reconciling: boolean;
  /** Compare-and-set while holding the lease (renewing it). */
  save(mutate: (p: RemediationPlan) => Draft): Promise<RemediationPlan>;
  finish(
    state: PlanState,
    note: string,
    extra?: Partial<RemediationPlan>,
  ): Promise<RemediationPlan>;
  /** Renews the lease while `work` runs. */
  heartbeat<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Applies a `redeploy` plan: re-reads the resources (a changed etag or drift makes it stale,
 * nothing queued), stores `queueing` and then queues exactly one run of the planned pipeline,
 * stores its id, follows it to completion (polls with backoff through the rate-limited adapter,
 * renewing the lease), and after a successful run re-reads the resources to verify. Reconciling
 * never queues: it follows a stored run id, and a `queueing` left without one becomes `failed`.
 * Nothing is written to Azure: the pipeline deploys, driftwatch only reads.
 */
export async function runRedeploy(context: ApplyContext): Promise<RemediationPlan> {
  const { remediation, by, save, finish, heartbeat } = context;
  const { store, clock, config } = remediation.options;
  const plan = context.plan();
  const pipeline = plan.pipeline;
  const devops = remediation.options.devops;
  const azure = remediation.options.azure;
  if (!pipeline || !devops || !azure)
    return finish(
      'failed',
      `redeploy needs ${!pipeline ? 'a planned pipeline' : !devops ? 'Azure DevOps (devops.orgUrl and a token)' : 'Azure read access'}, and none was configured; nothing was queued`,
    );
  const name = `pipeline "${pipeline.pipelineName}" (${pipeline.project}, id ${pipeline.pipelineId})`;

  const secrets = await remediation.secrets();
  const rules = await remediation.options.rules(plan.scope);
  const found = await store.getBaseline(plan.scope);
  if (!found)
    return finish('failed', `scope ${plan.scope} has no baseline any more; nothing was queued`);
  const baseline = protectSnapshot(found.snapshot, secrets);
  const readNow = async (resource: PlannedResource) => {
    const apiVersion = resource.apiVersion ?? (await azure.apiVersionOf(resource.resourceId));
    const read = await azure.read(resource.resourceId, apiVersion);
    const current = read.kind === 'resource' ? read.body : undefined;
    const finding =
      read.kind === 'error'
        ? undefined
        : currentFinding({ baseline, resourceId: resource.resourceId, current, rules, secrets });
    return { read, finding };
  };

  let run = plan.run;
  if (!context.reconciling && !run) {
    for (const resource of plan.resources) {
      const { read, finding } = await readNow(resource);
      if (read.kind === 'error')
        return finish(
          'failed',
          `${resource.resourceId} could not be re-read (${read.message}); nothing was queued`,
        );
      const etag = read.kind === 'resource' ? read.etag : undefined;
      if (
        (resource.etag && etag !== resource.etag) ||
        finding?.fingerprint !== resource.fingerprint
      )
        return finish(
          'stale',
          `${resource.resourceId} changed since the plan (${resource.etag && etag !== resource.etag ? `etag ${resource.etag} → ${etag ?? 'none'}` : 'different drift'}); nothing was queued; plan again`,
        );
    }
  }

  if (!run) {
    if (context.reconciling)
      return finish(
        'failed',
        `the process applying plan ${plan.id} stopped before queueing a run of ${name}; nothing was queued: plan again`,
      );
    // Stored before the call: a process that stops during it leaves `queueing` without a run id,
    // and nobody queues again (reconcile reports it instead). One run per plan, at most.
    const requestedAt = clock.now().toISOString();
    await save((p) => ({ ...strip(p), run: { status: 'queueing', requestedAt } }));
    let queued: DevOpsRun;
    try {
      queued = await devops.queueRun({
        project: pipeline.project,
        pipelineId: pipeline.pipelineId,
        ...(pipeline.branch ? { branch: pipeline.branch } : {}),
        templateParameters: pipeline.parameters,
      });
    } catch (error) {
      const message = describeError(error);
      const permission =
        isDriftwatchError(error) && error.code === 'devops.missing-scope'
          ? '; the identity also needs the Queue builds permission on the pipeline (see README, Remediation)'
          : '';
      await save((p) => ({
        ...strip(p),
        run: { status: 'failed', requestedAt, error: message },
      }));
      await remediation.audit(
        context.plan(),
        by,
        'write',
        'failed',
        `POST queue ${name}: ${message}`,
        plan.requests,
      );
      return finish(
        'failed',
        `queueing a run of ${name} failed: ${message}${permission}; it was not retried`,
      );
    }
    run = record(requestedAt, queued);
    await save((p) => ({ ...strip(p), run }));
    await remediation.audit(
      context.plan(),
      by,
      'write',
      'ok',
      `POST queue ${name}: run ${queued.id} queued${queued.url ? ` ${queued.url}` : ''}`,
      plan.requests,
    );
  } else if (run.status === 'failed' && run.runId === undefined) {
    return finish('failed', `queueing a run of ${name} failed: ${run.error ?? 'unknown error'}`);
  } else if (run.status === 'queueing' || run.runId === undefined) {
    await save((p) => ({
      ...strip(p),
      run: { ...(p.run ?? run), status: 'unknown' } as PipelineRunRecord,
    }));
    return finish(
      'failed',
      `the process applying plan ${plan.id} stopped while queueing a run of ${name} (at ${run.requestedAt}); it was not queued again: look at the pipeline's runs since then, and plan again if none ran`,
    );
  }

  const runId = run.runId as number;
  const link = () => context.plan().run?.url ?? run?.url ?? `run ${runId}`;
  let current = run;
  if (current.state !== 'completed') {
    const first = (config.remediation?.runPollSeconds ?? 5) * 1000;
    const max = (config.remediation?.runPollMaxSeconds ?? 60) * 1000;
    const sleep = remediation.options.sleep ?? abortableSleep;
    try {
      current = await heartbeat(async () => {
        let wait = first;
        for (;;) {
          const seen = await devops.getRun({
            project: pipeline.project,
            pipelineId: pipeline.pipelineId,
            runId,
          });
          const next = record(current.requestedAt, seen, current.url);
          if (next.state !== current.state || next.result !== current.result)
            await save((p) => ({ ...strip(p), run: next }));
          current = next;
          if (seen.state === 'completed') return next;
          await sleep(wait);
          wait = Math.min(max, wait * 2);
        }
      });
    } catch (error) {
      if (isDriftwatchError(error) && error.code === 'devops.not-found')
        return finish(
          'failed',
          `run ${runId} of ${name} can no longer be read (404: deleted?): ${link()}`,
        );
      // Anything else (Azure DevOps unreachable): the plan stays applying; once the lease runs
      // out, the next process reconciles and follows the same run. Never queued again.
      throw error;
    }
  }

  if (current.result !== 'succeeded')
    return finish(
      'failed',
      `run ${runId} of ${name} ended ${current.result ?? 'without a result'}: ${link()}; the drift was not verified`,
    );
  const verification: Verification = {
    at: clock.now().toISOString(),
    remaining: [],
    unreadable: [],
  };
  for (const resource of plan.resources) {
    const { read, finding } = await readNow(resource);
    if (read.kind === 'error') verification.unreadable.push(resource.resourceId);
    else if (finding)
      verification.remaining.push({
        resourceId: resource.resourceId,
        paths: finding.changes.length ? finding.changes.map((c) => c.path) : [finding.change],
      });
  }
  const left = verification.remaining.length + verification.unreadable.length;
  return finish(
    'applied',
    `run ${runId} of ${name} succeeded: ${link()}; ${
      left === 0
        ? 'the drift is gone'
        : `still drifted: ${verification.remaining.map((r) => `${r.resourceId} (${r.paths.join(', ')})`).join('; ') || 'none'}${verification.unreadable.length ? `; could not verify: ${verification.unreadable.join(', ')}` : ''}`
    }`,
    { verification },
  );
}

function strip(plan: RemediationPlan): Draft {
  const { version: _v, writeId: _w, ...rest } = plan;
  return rest;
}

function record(requestedAt: string, run: DevOpsRun, url?: string): PipelineRunRecord {
  const done = run.state === 'completed';
  return {
    status: done ? 'completed' : 'queued',
    requestedAt,
    runId: run.id,
    ...((run.url ?? url) ? { url: run.url ?? url } : {}),
    ...(run.state ? { state: run.state } : {}),
    ...(run.result ? { result: run.result } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  };
}
