import { BuildResult, BuildStatus } from 'azure-devops-node-api/interfaces/BuildInterfaces.js';
import { RunResult, RunState } from 'azure-devops-node-api/interfaces/PipelinesInterfaces.js';
import { TaskResult } from 'azure-devops-node-api/interfaces/TaskAgentInterfaces.js';
import type {
  DevOpsBuild,
  DevOpsCommit,
  DevOpsDeployment,
  DevOpsPipeline,
  DevOpsReleaseDefinition,
  DevOpsRepository,
  DevOpsRun,
} from './devops-inventory.js';

// The SDK's deserializer turns enum strings into numbers and dates into Date objects; these map
// them back to the REST names (lower camel case) and ISO strings. Raw wire values pass through.
type Loose = Record<string, unknown>;

/** An SDK enum value (number or wire string) as its REST name: `partiallySucceeded`. */
export function enumName(names: Record<number, string>, value: unknown): string | undefined {
  const name =
    typeof value === 'number' ? names[value] : typeof value === 'string' ? value : undefined;
  return name ? name.charAt(0).toLowerCase() + name.slice(1) : undefined;
}

/** A Date, ISO string or MS-JSON `/Date(ms)/` as an ISO string. */
export function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(value)?.[1];
  const date = new Date(ms ? Number(ms) : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A Git repository from the wire or the SDK. */
export function toRepository(r: Loose): DevOpsRepository {
  return compact({
    id: String(r.id),
    name: String(r.name),
    defaultBranch: str(r.defaultBranch),
    webUrl: str(r.webUrl) ?? str(r.remoteUrl),
  });
}

/** A commit: author e-mail (else name), author date, message. */
export function toCommit(c: Loose): DevOpsCommit {
  const author = (c.author ?? {}) as Loose;
  return compact({
    id: String(c.commitId),
    author: str(author.email) ?? str(author.name),
    date: isoDate(author.date),
    message: str(c.comment),
  });
}

/** A YAML pipeline without its runs. */
export function toPipeline(p: Loose): Omit<DevOpsPipeline, 'runs'> {
  return compact({ id: Number(p.id), name: String(p.name), folder: str(p.folder) });
}

/** A pipeline run; its link is the run page (`_links.web`). */
export function toRun(r: Loose): DevOpsRun {
  return compact({
    id: Number(r.id),
    name: str(r.name),
    state: enumName(RunState, r.state),
    result: enumName(RunResult, r.result),
    createdAt: isoDate(r.createdDate),
    finishedAt: isoDate(r.finishedDate),
    url: webHref(r) ?? str(r.url),
  });
}

/** A build with its definition and source repository. */
export function toBuild(b: Loose): DevOpsBuild {
  const def = b.definition as Loose | undefined;
  return compact({
    id: Number(b.id),
    number: str(b.buildNumber),
    status: enumName(BuildStatus, b.status),
    result: enumName(BuildResult, b.result),
    definition: def ? { id: Number(def.id), name: String(def.name) } : undefined,
    queuedAt: isoDate(b.queueTime),
    finishedAt: isoDate(b.finishTime),
    sourceBranch: str(b.sourceBranch),
    sourceVersion: str(b.sourceVersion),
    repository: str((b.repository as Loose | undefined)?.name),
    url: webHref(b),
  });
}

/** An environment deployment record: `definition` is the pipeline, `owner` the run. */
export function toDeployment(d: Loose, environment: string): DevOpsDeployment {
  const def = (d.definition ?? {}) as Loose;
  const owner = (d.owner ?? {}) as Loose;
  return compact({
    id: Number(d.id),
    environmentId: Number(d.environmentId),
    environment,
    pipeline: { id: Number(def.id), name: String(def.name) },
    run: compact({ id: Number(owner.id), name: str(owner.name) }),
    stage: str(d.stageName),
    job: str(d.jobName),
    result: enumName(TaskResult, d.result),
    startedAt: isoDate(d.startTime) ?? isoDate(d.queueTime),
    finishedAt: isoDate(d.finishTime),
    url: webHref(owner),
  });
}

/** A classic release definition (`$expand=environments` gives the stages). */
export function toReleaseDefinition(d: Loose): DevOpsReleaseDefinition {
  const environments = Array.isArray(d.environments) ? (d.environments as Loose[]) : [];
  return compact({
    id: Number(d.id),
    name: String(d.name),
    path: str(d.path),
    environments: environments.map((e) => String(e.name)),
  });
}

function webHref(o: Loose): string | undefined {
  const links = o._links as { web?: { href?: unknown } } | undefined;
  return str(links?.web?.href);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Drops undefined fields so JSON output and exact assertions stay clean. */
function compact<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
