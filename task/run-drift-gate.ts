import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { loadConfig } from '../core/config/load-config.js';
import type { ScopeConfig } from '../core/config/sections/scope-config.js';
import { compareSnapshots } from '../core/engine/compare-snapshots.js';
import { buildEngineRules } from '../core/engine/engine-rules.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/model/report.js';
import type { Snapshot, SnapshotSource } from '../core/model/resource.js';
import {
  decideGateResult,
  describeUnreadable,
  type GateDecision,
  type LocMessage,
} from './decide-gate-result.js';
import type { BaselinePort } from './open-baseline-source.js';
import { resolveTaskScope } from './resolve-task-scope.js';
import type { ServiceConnection } from './service-connection-auth.js';
import type { TaskParameters } from './task-parameters.js';

/** Collects one scope with the connection's credential; aborts when `signal` fires. */
export type CollectScopeFn = (input: {
  name: string;
  scope: ScopeConfig;
  connection: ServiceConnection;
  signal: AbortSignal;
}) => Promise<Snapshot>;

export interface GateDeps {
  clock: Clock;
  collect: CollectScopeFn;
  baseline: BaselinePort;
}

/** What a run found and decided; the host turns it into files, `##vso` lines and a result. */
export interface GateOutcome {
  command: TaskParameters['command'];
  scope: string;
  report: Report;
  decision: GateDecision;
  /** What could not be read (scopes and resources with the reason). */
  unreadable: string[];
  /** One line on where the baseline came from, for the summary. */
  baselineDescription: string;
  /** record: whether the new baseline was stored. */
  recorded?: boolean;
}

/**
 * `check`: collect, compare with the baseline, decide. `record`: collect, compare with the
 * previous baseline (for the summary), store the snapshot as the new baseline tagged with the run
 * — only when the collection was complete, so an unreadable scope never becomes "removed".
 */
export async function runDriftGate(
  params: TaskParameters,
  connection: ServiceConnection,
  deps: GateDeps,
): Promise<GateOutcome> {
  const { config } = loadConfig({
    cwd: params.workingDirectory,
    env: {},
    ...(params.configFile ? { file: params.configFile } : {}),
  });
  const { name, scope } = resolveTaskScope(params, config, connection);
  const rules = buildEngineRules({
    config,
    driftignore: readIgnoreFile(params),
    now: deps.clock.now(),
  });
  const collected = await deps.collect({
    name,
    scope,
    connection,
    signal: AbortSignal.timeout(params.timeoutMs),
  });
  const current: Snapshot = { ...collected, scope: name, source: pipelineSource(params) };
  const previous = await deps.baseline.load(name);
  const baselineDescription = previous
    ? describeBaseline(previous.snapshot)
    : `none yet in ${deps.baseline.where}`;
  // Without a baseline there is nothing to compare: the current state against itself reports no drift.
  const report = compareSnapshots(previous?.snapshot ?? current, current, {
    scope: name,
    rules,
    accepted: previous?.accepted ?? [],
    clock: deps.clock,
    baselineLabel: baselineDescription,
  });
  const unreadable = current.errors.map((e) =>
    e.message.includes(e.id) ? e.message : `${e.id}: ${e.message}`,
  );
  const outcome = { command: params.command, scope: name, report, unreadable, baselineDescription };
  if (params.command === 'record') return record(outcome, current, params, deps);
  if (!previous) {
    const messages = [{ key: 'NoBaseline', args: [name, deps.baseline.where] }];
    if (!report.complete)
      messages.push({ key: 'GateIncomplete', args: [describeUnreadable(unreadable)] });
    const decision: GateDecision = {
      result: 'SucceededWithIssues',
      verdict: 'PASSED WITH ISSUES',
      above: [],
      below: [],
      messages,
    };
    return { ...outcome, decision };
  }
  const decision = decideGateResult(report, {
    failOn: params.failOn,
    mode: params.mode,
    unreadable,
  });
  await deps.baseline.store?.saveReport(report);
  return { ...outcome, decision };
}

async function record(
  outcome: Omit<GateOutcome, 'decision'>,
  current: Snapshot,
  params: TaskParameters,
  deps: GateDeps,
): Promise<GateOutcome> {
  const run = params.run;
  const messages: LocMessage[] = [];
  if (!current.complete) {
    messages.push({
      key: 'BaselineNotRecorded',
      args: [outcome.scope, outcome.unreadable.slice(0, 5).join('; ') || 'see the report'],
    });
    return {
      ...outcome,
      recorded: false,
      decision: {
        result: 'SucceededWithIssues',
        verdict: 'PASSED WITH ISSUES',
        above: [],
        below: [],
        messages,
      },
    };
  }
  await deps.baseline.save(
    outcome.scope,
    current,
    run.definition ? `pipeline ${run.definition}` : 'pipeline',
  );
  messages.push({
    key: 'BaselineRecorded',
    args: [
      outcome.scope,
      current.resources.length,
      run.definition ?? '?',
      run.runNumber ?? run.runId ?? '?',
      run.commit?.slice(0, 7) ?? '?',
    ],
  });
  return {
    ...outcome,
    recorded: true,
    decision: { result: 'Succeeded', verdict: 'PASSED', above: [], below: [], messages },
  };
}

function pipelineSource(params: TaskParameters): SnapshotSource {
  const { run } = params;
  const pipeline = {
    ...(run.definition ? { definition: run.definition } : {}),
    ...(run.runId ? { runId: run.runId } : {}),
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
  };
  const description = `pipeline "${run.definition ?? '?'}", run ${run.runNumber ?? run.runId ?? '?'}${run.commit ? ` (commit ${run.commit.slice(0, 7)})` : ''}`;
  return { kind: 'pipeline', description, pipeline };
}

/** `recorded by pipeline "api-deploy", run 4411 (commit 9e1c2f0) at 2026-11-20 18:02 UTC`. */
export function describeBaseline(snapshot: Snapshot): string {
  const at = snapshot.collectedAt
    ? ` at ${snapshot.collectedAt.slice(0, 16).replace('T', ' ')} UTC`
    : '';
  if (snapshot.source?.kind === 'pipeline')
    return `recorded by ${snapshot.source.description ?? 'a pipeline'}${at}`;
  return `${snapshot.source?.description ?? snapshot.source?.kind ?? 'unknown origin'}${at}`;
}

function readIgnoreFile(params: TaskParameters): string {
  const file = params.ignoreFile ?? resolve(params.workingDirectory, '.driftignore');
  if (!params.ignoreFile && !existsSync(file)) return '';
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new UsageError('task.input', `Input 'ignoreFile' is not valid: ${reason}`, {
      cause: error,
      details: { input: 'ignoreFile', reason },
    });
  }
}
