import { readFileSync } from 'node:fs';

/** A JSON object exactly as the Azure DevOps REST API puts it on the wire. */
export type WireObject = Record<string, unknown>;

/** One project's data, every item in REST wire shape (ISO dates, string enums). */
export interface SimProject {
  project: WireObject & { id: string; name: string };
  repositories: WireObject[];
  /** Commits on each repository's default branch, newest first, by repository id. */
  commits: Record<string, WireObject[]>;
  pipelines: WireObject[];
  /** Runs by pipeline id, newest first. */
  runs: Record<string, WireObject[]>;
  builds: WireObject[];
  environments: WireObject[];
  /** Deployment records by environment id, newest first. */
  deploymentRecords: Record<string, WireObject[]>;
  releaseDefinitions: WireObject[];
}

/** What the simulator serves: one organization and its projects. */
export interface DevOpsSimSeed {
  organization: string;
  projects: SimProject[];
}

/** Reads a seed data file (see `data/`), filling absent collections with empties. */
export function loadDevOpsSimSeed(file: string): DevOpsSimSeed {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    organization: string;
    projects: Partial<SimProject>[];
  };
  return { organization: raw.organization, projects: raw.projects.map(completeProject) };
}

/** Fills absent collections of a partly written project with empties. */
export function completeProject(project: Partial<SimProject>): SimProject {
  if (!project.project) throw new Error('simulator seed: every project needs a "project" object');
  return {
    project: project.project,
    repositories: project.repositories ?? [],
    commits: project.commits ?? {},
    pipelines: project.pipelines ?? [],
    runs: project.runs ?? {},
    builds: project.builds ?? [],
    environments: project.environments ?? [],
    deploymentRecords: project.deploymentRecords ?? {},
    releaseDefinitions: project.releaseDefinitions ?? [],
  };
}
