import type { RequestStats } from './request-stats.js';

/** The last commit on a repository's default branch. */
export interface DevOpsCommit {
  id: string;
  author?: string;
  date?: string;
  message?: string;
}

/** A Git repository and the last commit on its default branch. */
export interface DevOpsRepository {
  id: string;
  name: string;
  defaultBranch?: string;
  lastCommit?: DevOpsCommit;
  webUrl?: string;
}

/** A YAML pipeline run (REST `pipelines/{id}/runs`). */
export interface DevOpsRun {
  id: number;
  name?: string;
  state?: string;
  result?: string;
  createdAt?: string;
  finishedAt?: string;
  url?: string;
}

/** A YAML pipeline with its most recent runs, newest first. */
export interface DevOpsPipeline {
  id: number;
  name: string;
  folder?: string;
  runs: DevOpsRun[];
}

/** A build (REST `build/builds`), newest first in a project. */
export interface DevOpsBuild {
  id: number;
  number?: string;
  status?: string;
  result?: string;
  definition?: { id: number; name: string };
  queuedAt?: string;
  finishedAt?: string;
  sourceBranch?: string;
  sourceVersion?: string;
  /** Name of the repository the build ran from. */
  repository?: string;
  url?: string;
}

/** One environment deployment record: a pipeline run's job that deployed to the environment. */
export interface DevOpsDeployment {
  id: number;
  environmentId: number;
  environment: string;
  pipeline: { id: number; name: string };
  run: { id: number; name?: string };
  stage?: string;
  job?: string;
  result?: string;
  startedAt?: string;
  finishedAt?: string;
  url?: string;
}

/** A pipeline environment with its deployment records, newest first. */
export interface DevOpsEnvironment {
  id: number;
  name: string;
  description?: string;
  deployments: DevOpsDeployment[];
}

/** A classic release definition and its stage (environment) names. */
export interface DevOpsReleaseDefinition {
  id: number;
  name: string;
  path?: string;
  environments: string[];
}

/** What an application is made of: repositories, pipelines and the environments it deploys to. */
export interface DevOpsApplication {
  name: string;
  project: string;
  repositories: string[];
  pipelines: string[];
  environments: string[];
  source: 'config' | 'inferred';
}

/** Everything read in one project. */
export interface DevOpsProjectInventory {
  id: string;
  name: string;
  repositories: DevOpsRepository[];
  pipelines: DevOpsPipeline[];
  builds: DevOpsBuild[];
  environments: DevOpsEnvironment[];
  releaseDefinitions: DevOpsReleaseDefinition[];
  /** Parts that could not be read at all (their lists above are empty for that reason, not because there is nothing). */
  unread?: ('repositories' | 'pipelines' | 'builds' | 'environments' | 'releaseDefinitions')[];
}

/** Something discovery could not read: the inventory is then partial. */
export interface DevOpsReadError {
  /** What could not be read: `project platform: builds`. */
  what: string;
  code: string;
  message: string;
}

/** Everything discovery read. `complete: false` means some part could not be read (see `errors`). */
export interface DevOpsInventory {
  orgUrl: string;
  collectedAt: string;
  complete: boolean;
  projects: DevOpsProjectInventory[];
  applications: DevOpsApplication[];
  errors: DevOpsReadError[];
  requests: RequestStats & { errorRate: number };
  /** Set when this inventory came from the store's cache rather than fresh calls. */
  cachedAt?: string;
}
