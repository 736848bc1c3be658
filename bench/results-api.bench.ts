// Bench: what the results API adds over reading the store. A memory store holds 100 stored scans
// of one scope with 500 findings each (a year of weekly-ish scans of a large estate). Measured
// through real HTTP on the bot host: GET /api/v1/drift/results?severity=critical (reads every
// report body to filter), GET /api/v1/drift/history (the trend of all 100 scans) and
// GET /drift/results/{id} (one report as JSON). Reference, in the same run, alternating with each
// request: the store reads that request needs (listReports plus getReport of the bodies it reads),
// no HTTP, no filtering, no JSON. Figures: median and p95 of 30 sequential requests each. RESULTS_API_BENCH_FINDINGS sets the
// findings per scan (default 500).
import { pino } from 'pino';
import { mountApi } from '../bot/api/mount-api.js';
import { createBotServer } from '../bot/http/create-bot-server.js';
import { createApiKey, hashApiKey } from '../core/api/api-key.js';
import { DriftwatchConfig } from '../core/config/config-schema.js';
import { openStore } from '../core/store/open-store.js';
import { findingFixture, reportFixture } from '../test/api/report-fixture.js';

const SCANS = 100;
const FINDINGS = Number(process.env.RESULTS_API_BENCH_FINDINGS ?? 500);
const RUNS = 30;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

const store = await openStore({ memory: true });
const ids: string[] = [];
for (let s = 0; s < SCANS; s++) {
  const findings = Array.from({ length: FINDINGS }, (_, i) =>
    findingFixture(`f${(i + s * 7).toString(16).padStart(8, '0')}`, {
      severity: SEVERITIES[(i + s) % SEVERITIES.length],
    }),
  );
  const at = new Date(Date.UTC(2026, 0, 1) + s * 3 * 86_400_000).toISOString();
  ids.push((await store.saveReport(reportFixture('prod', at, findings))).id);
}
const key = createApiKey();
const config = DriftwatchConfig.parse({
  scopes: { prod: { subscriptions: ['00000000-0000-0000-0000-000000000001'] } },
  api: { keys: [{ name: 'bench', sha256: hashApiKey(key), read: ['*'] }] },
});
const http = createBotServer({ log: pino({ level: 'error' }) });
// The reference rounds take seconds; a keep-alive socket idle past node's 5 s default would be
// closed by the server just as fetch reuses it (ECONNRESET), which is not what is measured here.
http.server.keepAliveTimeout = 120_000;
mountApi({
  http,
  store,
  config,
  clock: { now: () => new Date() },
  scan: async () => {
    throw new Error('no scans in this bench');
  },
});
const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}/api/v1`;

type Figures = { median: number; p95: number };

/** Runs the API request and its reference alternately, so machine load falls on both alike. */
async function pair(
  api: () => Promise<unknown>,
  ref: () => Promise<unknown>,
): Promise<[Figures, Figures]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [k, work] of [api, ref].entries()) {
      const t0 = performance.now();
      await work();
      times[k as 0 | 1].push(performance.now() - t0);
    }
  }
  const figures = (list: number[]): Figures => {
    list.sort((a, b) => a - b);
    return { median: list[Math.floor(RUNS / 2)] ?? 0, p95: list[Math.floor(RUNS * 0.95)] ?? 0 };
  };
  return [figures(times[0]), figures(times[1])];
}
const get = async (path: string) => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return response.json();
};
/** The bodies a request must read: the newest `count` reports of the scope. */
const readNewest = (count: number) => async () => {
  for (const ref of (await store.listReports()).slice(0, count)) await store.getReport(ref.id);
};
const one = ids.at(-1) as string;

// Every scan has critical findings, so a page of 50 reads 51 bodies (one to know there is more).
const rows = [
  [
    'GET /drift/results?severity=critical',
    ...(await pair(() => get('/drift/results?severity=critical&limit=50'), readNewest(51))),
  ],
  ['GET /drift/history', ...(await pair(() => get('/drift/history'), readNewest(SCANS)))],
  [
    'GET /drift/results/{id}',
    ...(await pair(
      () => get(`/drift/results/${one}`),
      () => store.getReport(one),
    )),
  ],
] as const;
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(
  `${SCANS} scans × ${FINDINGS} findings, ${RUNS} sequential requests each (median / p95)`,
);
console.log(
  'endpoint                               API (HTTP)            store reads alone (reference)   ratio',
);
for (const [name, api, ref] of rows) {
  console.log(
    `${name.padEnd(38)} ${`${ms(api.median)} / ${ms(api.p95)}`.padEnd(21)} ${`${ms(ref.median)} / ${ms(ref.p95)}`.padEnd(31)} ${(api.median / ref.median).toFixed(2)}×`,
  );
}
await http.close();
await store.close();
