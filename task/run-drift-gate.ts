import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { signReportLink } from '../core/api/sign-report-link.js';
import type { Clock } from '../core/clock.js';
import type { CollectTarget } from '../core/collect/collect-scope-types.js';
import { createCredential } from '../core/collect/create-credential.js';
import { parseDuration } from '../core/commands/parse-duration.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import { loadConfig } from '../core/config/load-config.js';
import { compareSnapshots } from '../core/engine/compare-snapshots.js';
import { HttpError, UsageError } from '../core/errors.js';
import type { Report } from '../core/model/report.js';
import type { Snapshot, SnapshotSource } from '../core/model/resource.js';
import { loadReportPageInput } from '../core/report/page/load-report-page-input.js';
import type { ReportPageInput } from '../core/report/page/report-page-input.js';
import { runScan } from '../core/scan/run-scan.js';
import type { BaselineRecord } from '../core/store/drift-store.js';
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

export interface GateDeps {
  clock: Clock;
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
  /** This run, as recorded on a baseline: `pipeline "api-deploy", run 4411 (commit 9e1c2f0)`. */
  runDescription: string;
  /** record: whether the new baseline was stored. */
  recorded?: boolean;
  /** check: the signed link of the stored report's page (inputs reportUrl and reportLinkSecret). */
  reportLink?: string;
  /** check: the stored report with its scope's trend and history, for the HTML attachment. */
  page?: ReportPageInput;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * `check`: scan (collect, compare with the baseline), then decide. `record`: scan, then store
 * the snapshot as the new baseline tagged with the pipeline run — only when the collection was
 * complete, so an unreadable scope never becomes "removed" later. Both go through `runScan`, the
 * scan entry the CLI and the bot use; the service connection supplies credential and endpoints.
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
    // The task is one bundle with nothing installed beside it: the parser comes with it.
    parseYaml: parseDocument,
  });
  const target = resolveTaskScope(params, config, connection);
  await deps.baseline.prepare(target.name);
  const signal = AbortSignal.timeout(params.timeoutMs);
  const scanConfig = withConnection(config, target, connection);
  const credential = createCredential(connection.credential, {
    authorityHost: trim(connection.authorityHost),
    clock: deps.clock,
  });
  const scanned = await runScan({
    scope: target.name,
    config: scanConfig,
    env: {},
    cwd: params.workingDirectory,
    store: deps.baseline.store,
    driftignore: readIgnoreFile(params),
    credential,
    signal,
    clock: deps.clock,
    // Who changed what: Azure's change history, and Azure DevOps when the config names an org.
    attribute: params.command === 'check',
  }).catch((error: unknown) => {
    if (!signal.aborted) throw error;
    throw new HttpError(
      'task.timeout',
      `gave up after ${params.timeoutMs / 1000} s (input timeoutSeconds) before the scope was collected; nothing was compared or stored`,
      { cause: error },
    );
  });
  const runDescription = describeRun(params);
  const current: Snapshot = { ...scanned.snapshot, source: pipelineSource(params, runDescription) };
  const baselineDescription = scanned.baseline
    ? describeBaseline(scanned.baseline)
    : `none yet in ${deps.baseline.where}`;
  // Without a baseline there is nothing to compare: the state against itself reports no drift.
  const compared =
    scanned.report ?? compareSnapshots(current, current, { scope: target.name, clock: deps.clock });
  const report = compared;
  const unreadable = current.errors.map((e) =>
    e.message.includes(e.id) ? e.message : `${e.id}: ${e.message}`,
  );
  const reportLink =
    params.reportLink && scanned.reportRef
      ? signReportLink({
          ...params.reportLink,
          ttlMs: parseDuration(config.api?.linkTtl ?? '7d') ?? 7 * 86_400_000,
          reportId: scanned.reportRef.id,
          scope: target.name,
          now: deps.clock.now(),
        })
      : undefined;
  const page =
    params.command === 'check' && scanned.reportRef
      ? await loadReportPageInput(deps.baseline.store, scanned.reportRef.id, { clock: deps.clock })
      : undefined;
  const outcome = {
    command: params.command,
    scope: target.name,
    report,
    unreadable,
    baselineDescription,
    runDescription,
    ...(reportLink ? { reportLink } : {}),
    ...(page ? { page } : {}),
  };
  if (params.command === 'record') return record(outcome, current, params, deps);
  if (!scanned.baseline) {
    const messages = [{ key: 'NoBaseline', args: [target.name, deps.baseline.where] }];
    if (!report.complete) {
      messages.push({ key: 'GateIncomplete', args: [describeUnreadable(unreadable)] });
    }
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
  return { ...outcome, decision };
}

async function record(
  outcome: Omit<GateOutcome, 'decision'>,
  current: Snapshot,
  params: TaskParameters,
  deps: GateDeps,
): Promise<GateOutcome> {
  const { run } = params;
  const messages: LocMessage[] = [];
  const decision = (result: GateDecision['result']): GateDecision => ({
    result,
    verdict: result === 'Succeeded' ? 'PASSED' : 'PASSED WITH ISSUES',
    above: [],
    below: [],
    messages,
  });
  if (!current.complete) {
    messages.push({
      key: 'BaselineNotRecorded',
      args: [outcome.scope, describeUnreadable(outcome.unreadable)],
    });
    return { ...outcome, recorded: false, decision: decision('SucceededWithIssues') };
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
  return { ...outcome, recorded: true, decision: decision('Succeeded') };
}

/**
 * The configuration with the resolved scope under its name and the service connection's
 * endpoints: the connection, not the file, says which cloud the pipeline deploys to.
 */
function withConnection(
  config: DriftwatchConfig,
  target: CollectTarget & { via?: 'graph' | 'arm' },
  connection: ServiceConnection,
): DriftwatchConfig {
  const { name, ...scope } = target;
  const arm = trim(connection.armEndpoint);
  return {
    ...config,
    scopes: { ...config.scopes, [name]: scope },
    azure: {
      ...config.azure,
      endpoints: {
        resourceManager: arm,
        resourceGraph: arm,
        authorityHost: trim(connection.authorityHost),
        audience: trim(connection.audience),
      },
    },
  };
}

function describeRun(params: TaskParameters): string {
  const { run } = params;
  const commit = run.commit ? ` (commit ${run.commit.slice(0, 7)})` : '';
  return `pipeline "${run.definition ?? '?'}", run ${run.runNumber ?? run.runId ?? '?'}${commit}`;
}

function pipelineSource(params: TaskParameters, description: string): SnapshotSource {
  const { run } = params;
  const pipeline = {
    ...(run.definition ? { definition: run.definition } : {}),
    ...(run.runId ? { runId: run.runId } : {}),
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
  };
  return { kind: 'pipeline', description, pipeline };
}

/** `recorded by pipeline "api-deploy", run 4411 (commit 9e1c2f0) at 2026-11-20 18:02 UTC`. */
export function describeBaseline(record: BaselineRecord): string {
  const at = ` at ${record.setAt.slice(0, 16).replace('T', ' ')} UTC`;
  if (record.source?.kind === 'pipeline') {
    return `recorded by ${record.source.description ?? 'a pipeline'}${at}`;
  }
  const by = record.setBy ? ` by ${record.setBy}` : '';
  return `${record.source?.description ?? 'set'}${by}${at}`;
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
