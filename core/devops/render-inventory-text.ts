import type { DevOpsInventory } from './devops-inventory.js';

const n = (value: number) => value.toLocaleString('en-US');

/**
 * The inventory for a terminal: a header that says PARTIAL when something could not be read,
 * applications, then per project the repositories (default branch, last commit), pipelines
 * (last run), environments (last deployment) and release definitions, then what failed.
 */
export function renderInventoryText(inventory: DevOpsInventory): string {
  const lines: string[] = [];
  const totals = count(inventory);
  const state = inventory.complete
    ? 'complete'
    : `PARTIAL — ${inventory.errors.length} part(s) could not be read`;
  lines.push(
    `driftwatch · Azure DevOps ${inventory.orgUrl} · ${inventory.collectedAt.slice(0, 16).replace('T', ' ')} UTC · ${state}${inventory.cachedAt ? ' (cached)' : ''}`,
  );
  // A part that could not be read says so; "0 builds" would claim there are none.
  const c = (value: number, label: string, part: string) =>
    unread(inventory, part) ? `${label} not read` : `${n(value)} ${label}`;
  lines.push(
    `  ${n(inventory.projects.length)} projects · ${c(totals.repos, 'repositories', 'repositories')} · ${c(totals.pipelines, 'pipelines', 'pipelines')} · ${c(totals.builds, 'builds', 'builds')} · ${c(totals.environments, 'environments', 'environments')} · ${c(totals.releases, 'release definitions', 'releaseDefinitions')}`,
  );
  if (inventory.applications.length > 0) {
    lines.push('', 'Applications');
    for (const app of inventory.applications) {
      lines.push(
        `  ${app.name} (${app.project}${app.source === 'inferred' ? ', inferred' : ''}) → ${app.environments.join(', ') || 'no environment'} · pipelines ${app.pipelines.join(', ') || '-'} · repos ${app.repositories.join(', ') || '-'}`,
      );
    }
  }
  for (const p of inventory.projects) {
    lines.push('', `Project ${p.name}`);
    for (const r of p.repositories) {
      const c = r.lastCommit;
      const last = c
        ? ` · ${c.id.slice(0, 7)} ${c.date?.slice(0, 10) ?? ''} ${c.author ?? ''}`.trimEnd()
        : r.defaultBranch
          ? ' · no commits'
          : ' · empty';
      lines.push(
        `  repo      ${r.name}${r.defaultBranch ? ` (${r.defaultBranch.replace(/^refs\/heads\//, '')})` : ''}${last}`,
      );
    }
    for (const pl of p.pipelines) {
      const run = pl.runs[0];
      lines.push(
        `  pipeline  ${pl.name}${run ? ` · last run ${run.id} ${run.result ?? run.state ?? ''} ${run.createdAt?.slice(0, 16).replace('T', ' ') ?? ''}`.trimEnd() : ' · no runs'}`,
      );
    }
    if (p.builds.length > 0)
      lines.push(
        `  builds    ${n(p.builds.length)} (latest ${p.builds[0]?.number ?? p.builds[0]?.id})`,
      );
    for (const e of p.environments) {
      const d = e.deployments[0];
      lines.push(
        `  env       ${e.name}${d ? ` · last deployment ${d.pipeline.name} run ${d.run.id} ${d.result ?? ''} ${d.startedAt?.slice(0, 16).replace('T', ' ') ?? ''}`.trimEnd() : ' · no deployments'}`,
      );
    }
    for (const d of p.releaseDefinitions)
      lines.push(`  release   ${d.name} → ${d.environments.join(', ') || 'no stages'}`);
  }
  if (inventory.errors.length > 0) {
    lines.push('', 'Not read (the inventory above is incomplete)');
    for (const e of inventory.errors) lines.push(`  ${e.what}: ${e.message}`);
  }
  const r = inventory.requests;
  lines.push(
    '',
    `requests ${n(r.sent)} · retries ${n(r.retries)} · throttled ${n(r.throttled)} · failed ${n(r.failed)} · error rate ${(r.errorRate * 100).toFixed(1)}%`,
  );
  return `${lines.join('\n')}\n`;
}

/** True when some project could not read this part at all. */
function unread(inv: DevOpsInventory, part: string): boolean {
  return inv.projects.some((p) => (p.unread as string[] | undefined)?.includes(part));
}

function count(inv: DevOpsInventory) {
  const sum = (f: (p: DevOpsInventory['projects'][number]) => number) =>
    inv.projects.reduce((a, p) => a + f(p), 0);
  return {
    repos: sum((p) => p.repositories.length),
    pipelines: sum((p) => p.pipelines.length),
    builds: sum((p) => p.builds.length),
    environments: sum((p) => p.environments.length),
    releases: sum((p) => p.releaseDefinitions.length),
  };
}
