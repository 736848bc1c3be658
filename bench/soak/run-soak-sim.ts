// The soak's simulator in a process of its own (`node soak.bench.mjs sim`): serving ~500
// requests/s over TLS takes most of a core, and in the coordinator's process it competed with the
// coordinator and the workers for the machine's 2 cores, so the bench measured the simulator too.
// The coordinator talks to it over the IPC channel: requests as { id, op, ... }, answers { id, ... }.
import { performance } from 'node:perf_hooks';
import type { ArmResource } from '../../core/model/resource.js';
import { startArmSimulator } from '../../test/sim/arm/start-arm-simulator.js';
import { generateBenchEstate } from '../collect/generate-bench-estate.js';
import { startCpuProfile } from './cpu-profile.js';

/** What the coordinator can ask the simulator process. */
export type SoakSimOp =
  | { op: 'mark' }
  | { op: 'served'; since: number }
  | { op: 'listed' }
  | { op: 'change-one-percent'; round: number }
  | { op: 'cpu' };

/** Requests served since a mark, with per-subscription timing (ms since the mark). */
export interface SoakServed {
  served: number;
  throttled: number;
  /** Per subscription: first request, first GET of a resource by id, last request, count. */
  perSub: Array<{
    sub: string;
    first: number;
    firstRead?: number;
    last: number;
    count: number;
    perSecond: number[];
  }>;
  /** Requests per second since the mark, all subscriptions. */
  perSecond: number[];
}

export async function runSoakSim(env: NodeJS.ProcessEnv): Promise<void> {
  const writeProfile = await startCpuProfile(env, 'simulator');
  const subs = JSON.parse(env.SOAK_SUBS as string) as string[];
  const perSub = Number(env.SOAK_PER_SUB);
  const sim = await startArmSimulator({
    resources: subs.flatMap((s) => generateBenchEstate(s, perSub)),
    changeRetentionMs: 14 * 24 * 3_600_000,
  });
  sim.faults.set({ latencyMs: { min: 20, max: 50 } });
  // When each request was answered, beside the simulator's own record of it (same index).
  const times: number[] = [];
  const push = sim.requests.push.bind(sim.requests);
  sim.requests.push = (...records) => {
    for (const _ of records) times.push(performance.now());
    return push(...records);
  };
  let markAt = performance.now();
  const answer = (id: number, body: unknown) => process.send?.({ id, ...(body as object) });
  process.on('message', (message: SoakSimOp & { id: number }) => {
    switch (message.op) {
      case 'mark':
        markAt = performance.now();
        return answer(message.id, { index: sim.requests.length });
      case 'served':
        return answer(message.id, served(message.since));
      case 'listed':
        return answer(message.id, { resources: sim.estate.listed() });
      case 'change-one-percent': {
        const listed = sim.estate.listed();
        const step = Math.floor(listed.length / Math.ceil(listed.length / 100));
        for (let i = message.round; i < listed.length; i += step) {
          const r = listed[i] as ArmResource;
          sim.estate.write({ ...r, tags: { ...r.tags, soak: `round-${message.round}` } });
        }
        return answer(message.id, {});
      }
      case 'cpu': {
        const { user, system } = process.cpuUsage();
        return answer(message.id, {
          cpuMs: (user + system) / 1000,
          maxRss: process.resourceUsage().maxRSS * 1024,
        });
      }
    }
  });
  const served = (since: number): SoakServed => {
    const bySub = new Map<string, SoakServed['perSub'][number]>();
    const perSecond: number[] = [];
    let count = 0;
    let throttled = 0;
    for (let i = since; i < sim.requests.length; i++) {
      const r = sim.requests[i];
      if (!r || /oauth2|well-known/.test(r.url)) continue;
      count += 1;
      if (r.status === 429) throttled += 1;
      const at = (times[i] as number) - markAt;
      const second = Math.max(0, Math.floor(at / 1000));
      while (perSecond.length <= second) perSecond.push(0);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
      const sub = /\/subscriptions\/([^/?]+)/i.exec(r.url)?.[1]?.toLowerCase() ?? '(tenant)';
      const s = bySub.get(sub) ?? { sub, first: at, last: at, count: 0, perSecond: [] };
      s.last = at;
      s.count += 1;
      if (s.firstRead === undefined && /\/resourceGroups\/[^/]+\/providers\//i.test(r.url))
        s.firstRead = at;
      while (s.perSecond.length <= second) s.perSecond.push(0);
      s.perSecond[second] = (s.perSecond[second] ?? 0) + 1;
      bySub.set(sub, s);
    }
    return { served: count, throttled, perSub: [...bySub.values()], perSecond };
  };
  process.send?.({ kind: 'ready', url: sim.url, caPem: sim.caPem, tenantId: sim.tenantId });
  process.on(
    'disconnect',
    () =>
      void sim
        .close()
        .then(writeProfile)
        .then(() => process.exit(0)),
  );
}
