import type { DevOpsInventory } from '../devops/devops-inventory.js';
import type { DevOpsInventorySummary } from './command-ports.js';
import { formatCount } from './format-chat-time.js';

/** Notes shown under the counts; the rest are counted. */
const MAX_NOTES = 5;

/**
 * The `/drift devops` summary of an Azure DevOps inventory: counts, and what could not be read
 * (a partial inventory says so, never passes for complete).
 */
export function summariseDevOps(inventory: DevOpsInventory): DevOpsInventorySummary {
  const sum = (pick: (p: DevOpsInventory['projects'][number]) => number) =>
    formatCount(inventory.projects.reduce((n, p) => n + pick(p), 0));
  const notes = inventory.errors
    .slice(0, MAX_NOTES)
    .map((e) => `could not read ${e.what}: ${e.message}`);
  if (inventory.errors.length > MAX_NOTES)
    notes.push(`… and ${inventory.errors.length - MAX_NOTES} more unreadable parts`);
  if (inventory.cachedAt) notes.push(`cached at ${inventory.cachedAt}`);
  return {
    organisation: inventory.orgUrl.replace(/\/+$/, '').split('/').pop() ?? inventory.orgUrl,
    facts: [
      { label: 'Projects', value: formatCount(inventory.projects.length) },
      { label: 'Repositories', value: sum((p) => p.repositories.length) },
      { label: 'Pipelines', value: sum((p) => p.pipelines.length) },
      { label: 'Environments', value: sum((p) => p.environments.length) },
      { label: 'Applications', value: formatCount(inventory.applications.length) },
      { label: 'Inventory', value: inventory.complete ? 'complete' : 'partial' },
    ],
    refreshedAt: inventory.collectedAt,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
