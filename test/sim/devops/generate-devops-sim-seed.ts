import type { DevOpsSimSeed, SimProject, WireObject } from './devops-sim-seed.js';

/**
 * A large, deterministic organization for benchmarks: `repositories` repos (each with one commit
 * on `main`) and `builds` builds spread over one pipeline per 10 repositories.
 */
export function generateDevOpsSimSeed(counts: {
  repositories: number;
  builds: number;
  organization?: string;
}): DevOpsSimSeed {
  const organization = counts.organization ?? 'bench';
  const projectId = '00000000-0000-4000-8000-000000000001';
  const project: SimProject = {
    project: { id: projectId, name: 'estate', state: 'wellFormed', visibility: 'private' },
    repositories: [],
    commits: {},
    pipelines: [],
    runs: {},
    builds: [],
    environments: [],
    deploymentRecords: {},
    releaseDefinitions: [],
  };
  const base = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < counts.repositories; i++) {
    const id = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    project.repositories.push({
      id,
      name: `repo-${i}`,
      defaultBranch: 'refs/heads/main',
      project: { id: projectId, name: 'estate' },
    });
    project.commits[id] = [commit(i, new Date(base + i * 60_000).toISOString())];
  }
  const pipelines = Math.max(1, Math.ceil(counts.repositories / 10));
  for (let p = 0; p < pipelines; p++) {
    project.pipelines.push({ id: p + 1, name: `deploy-${p}`, folder: '\\', revision: 1 });
    project.runs[String(p + 1)] = [];
  }
  for (let b = 0; b < counts.builds; b++) {
    const definition = (b % pipelines) + 1;
    project.builds.push(build(b + 1, definition, new Date(base + b * 30_000).toISOString()));
  }
  project.builds.reverse();
  return { organization, projects: [project] };
}

function commit(i: number, date: string): WireObject {
  const sha = i.toString(16).padStart(40, 'a');
  return {
    commitId: sha,
    author: { name: 'Bench Author', email: 'bench@example.com', date },
    committer: { name: 'Bench Author', email: 'bench@example.com', date },
    comment: `change ${i}`,
  };
}

function build(id: number, definition: number, at: string): WireObject {
  return {
    id,
    buildNumber: `2026.${id}`,
    status: 'completed',
    result: 'succeeded',
    queueTime: at,
    startTime: at,
    finishTime: at,
    definition: { id: definition, name: `deploy-${definition - 1}`, type: 'build' },
    sourceBranch: 'refs/heads/main',
    sourceVersion: id.toString(16).padStart(40, 'b'),
  };
}
