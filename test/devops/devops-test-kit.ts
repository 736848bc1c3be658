import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, fixedClock } from '../../core/clock.js';
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

/** Fake time: `sleep` returns at once and moves `clock` (and the simulator, via `nowMs`) on. */
export function fakeTime(startIso = DISCOVERED_AT) {
  let now = Date.parse(startIso);
  const waits: number[] = [];
  return {
    waits,
    nowMs: () => now,
    clock: { now: () => new Date(now) } satisfies Clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** A session against the simulator: fast budget, fake time (pass the same `time` to the simulator). */
export function openSimSession(
  sim: DevOpsSim,
  overrides: Partial<OpenDevOpsOptions> = {},
  time = fakeTime(),
): DevOpsSession & { waits: number[] } {
  const session = openDevOps({
    orgUrl: sim.orgUrl,
    auth: { kind: 'pat', token: SIM_PAT },
    requestsPerMinute: 600_000,
    limiterId: `test-${Math.random().toString(36).slice(2)}`,
    clock: time.clock,
    sleep: time.sleep,
    retry: { random: () => 0 },
    ...overrides,
  });
  return Object.assign(session, { waits: time.waits });
}

/** Discovers everything through a session (fixed clock). */
export function discoverFrom(
  session: DevOpsSession,
  options: { projects?: string[]; signal?: AbortSignal } = {},
) {
  return discoverInventory({
    api: session.api,
    orgUrl: session.connection.orgUrl,
    stats: session.connection.stats,
    clock: fixedClock(DISCOVERED_AT),
    ...options,
  });
}
