import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../../core/clock.js';
import { discoverInventory } from '../../core/devops/discover-inventory.js';
import {
  type DevOpsSession,
  type OpenDevOpsOptions,
  openDevOps,
} from '../../core/devops/open-devops.js';
import { loadDevOpsSimSeed } from '../sim/devops/devops-sim-seed.js';
import type { DevOpsSim } from '../sim/devops/start-devops-sim.js';

export const CONTOSO_SEED_FILE = resolve(
  fileURLToPath(import.meta.url),
  '../../sim/devops/data/contoso.json',
);
export const contosoSeed = () => loadDevOpsSimSeed(CONTOSO_SEED_FILE);
export const SIM_PAT = 'sim-pat';
export const DISCOVERED_AT = '2026-11-21T12:00:00.000Z';

/** A session against the simulator: fast budget, instant sleeps recorded in `waits`. */
export function openSimSession(
  sim: DevOpsSim,
  overrides: Partial<OpenDevOpsOptions> = {},
): DevOpsSession & { waits: number[] } {
  const waits: number[] = [];
  const session = openDevOps({
    orgUrl: sim.orgUrl,
    auth: { kind: 'pat', token: SIM_PAT },
    requestsPerMinute: 600_000,
    limiterId: `test-${Math.random().toString(36).slice(2)}`,
    clock: fixedClock(DISCOVERED_AT),
    sleep: async (ms) => {
      waits.push(ms);
    },
    retry: { random: () => 0 },
    ...overrides,
  });
  return Object.assign(session, { waits });
}

/** Discovers everything through a session (fixed clock). */
export function discoverFrom(session: DevOpsSession, options: { projects?: string[] } = {}) {
  return discoverInventory({
    api: session.api,
    orgUrl: session.connection.orgUrl,
    stats: session.connection.stats,
    clock: fixedClock(DISCOVERED_AT),
    ...options,
  });
}
