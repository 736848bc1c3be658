import type { DevOpsApplication, DevOpsProjectInventory } from './devops-inventory.js';

/** An application declared in configuration (`devops.applications`). */
export interface ApplicationMapping {
  name: string;
  project?: string;
  repositories?: string[];
  pipelines?: string[];
  environments?: string[];
}

const DEPLOY_SUFFIX = /[\s._-]*(?:deploy(?:ment)?|release|cd|ci|pipeline)$/i;

/**
 * Groups repositories, pipelines and environments into the applications they deploy. Declared
 * applications come first and claim their pipelines. Then, conservatively: every YAML pipeline
 * with environment deployment records is an application named after the pipeline minus a
 * deploy/release/cd suffix (pipelines sharing that name merge), with the environments it deployed
 * to and the repositories its builds ran from (or the repository of the same name); every classic
 * release definition is one with its stages. Pipelines that never deployed are not applications.
 */
export function inferApplications(
  project: DevOpsProjectInventory,
  declared: readonly ApplicationMapping[] = [],
): DevOpsApplication[] {
  const apps = new Map<string, DevOpsApplication>();
  const claimed = new Set<string>();
  for (const d of declared.filter((a) => !a.project || same(a.project, project.name))) {
    for (const p of d.pipelines ?? []) claimed.add(p.toLowerCase());
    apps.set(d.name.toLowerCase(), {
      name: d.name,
      project: project.name,
      repositories: d.repositories ?? [],
      pipelines: d.pipelines ?? [],
      environments: d.environments ?? [],
      source: 'config',
    });
  }
  const deployedTo = new Map<number, Set<string>>();
  for (const env of project.environments) {
    for (const d of env.deployments) {
      const set = deployedTo.get(d.pipeline.id) ?? new Set<string>();
      set.add(env.name);
      deployedTo.set(d.pipeline.id, set);
    }
  }
  for (const pipeline of project.pipelines) {
    const environments = deployedTo.get(pipeline.id);
    if (!environments || claimed.has(pipeline.name.toLowerCase())) continue;
    const name = pipeline.name.replace(DEPLOY_SUFFIX, '') || pipeline.name;
    const repos = new Set(
      project.builds
        .filter((b) => b.definition?.id === pipeline.id && b.repository)
        .map((b) => b.repository as string),
    );
    const sameName = project.repositories.find((r) => same(r.name, name));
    if (repos.size === 0 && sameName) repos.add(sameName.name);
    merge(apps, {
      name,
      project: project.name,
      repositories: [...repos],
      pipelines: [pipeline.name],
      environments: [...environments],
      source: 'inferred',
    });
  }
  for (const def of project.releaseDefinitions) {
    if (claimed.has(def.name.toLowerCase())) continue;
    const name = def.name.replace(DEPLOY_SUFFIX, '') || def.name;
    merge(apps, {
      name,
      project: project.name,
      repositories: [],
      pipelines: [def.name],
      environments: def.environments,
      source: 'inferred',
    });
  }
  return [...apps.values()].map((a) => ({
    ...a,
    repositories: unique(a.repositories),
    pipelines: unique(a.pipelines),
    environments: unique(a.environments),
  }));
}

function merge(apps: Map<string, DevOpsApplication>, app: DevOpsApplication): void {
  const existing = apps.get(app.name.toLowerCase());
  if (!existing) {
    apps.set(app.name.toLowerCase(), app);
    return;
  }
  if (existing.source === 'config') return;
  existing.repositories.push(...app.repositories);
  existing.pipelines.push(...app.pipelines);
  existing.environments.push(...app.environments);
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
