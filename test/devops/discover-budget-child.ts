// A separate OS process for the budget test: one full discovery through a limiter clustered
// through Redis, then a JSON summary on stdout. Args: orgUrl limiterId client requestsPerMinute redisUrl.
import { systemClock } from '../../core/clock.js';
import { discoverInventory } from '../../core/devops/discover-inventory.js';
import { openDevOps } from '../../core/devops/open-devops.js';

const [orgUrl, limiterId, client, rpm, redisUrl] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const session = openDevOps({
  orgUrl,
  auth: { kind: 'pat', token: 'sim-pat' },
  limiterId,
  requestsPerMinute: Number(rpm),
  redisUrl,
  headers: { 'x-sim-client': client },
});
try {
  const inventory = await discoverInventory({
    api: session.api,
    orgUrl,
    stats: session.connection.stats,
    clock: systemClock,
    maxBuilds: 1_000_000,
  });
  process.stdout.write(
    `${JSON.stringify({ complete: inventory.complete, failed: inventory.requests.failed })}\n`,
  );
} finally {
  await session.close();
}
