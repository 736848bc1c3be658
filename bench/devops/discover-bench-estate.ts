import { systemClock } from '../../core/clock.js';
import type { DevOpsInventory } from '../../core/devops/devops-inventory.js';
import { discoverInventory } from '../../core/devops/discover-inventory.js';
import { openDevOps } from '../../core/devops/open-devops.js';

/** One full discovery of the bench organization at the default budget (200 requests/min). */
export async function discoverBenchEstate(o: {
  orgUrl: string;
  limiterId: string;
  redisUrl?: string;
  client: string;
}): Promise<DevOpsInventory> {
  const session = openDevOps({
    orgUrl: o.orgUrl,
    auth: { kind: 'pat', token: 'sim-pat' },
    limiterId: o.limiterId,
    headers: { 'x-sim-client': o.client },
    ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
  });
  try {
    return await discoverInventory({
      api: session.api,
      orgUrl: o.orgUrl,
      stats: session.connection.stats,
      clock: systemClock,
      maxBuilds: 1_000_000,
    });
  } finally {
    await session.close();
  }
}
