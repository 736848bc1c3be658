// Bench: what the embedded store's atomic indexes cost when several processes write at once.
// WRITERS separate processes (default 8) each save REPORTS reports (default 100, 20 findings
// each) to one SQLite store file at the same moment: through driftwatch's store (the body in
// keyv plus the report index and its retention, each write one statement or one BEGIN IMMEDIATE
// transaction, all on one queued connection per process). Reference, in the same run and
// alternating with it: the same bodies written by plain keyv on `@keyv/sqlite` (its own
// connection, one upsert per body, no index), which is what the store costs without the
// indexes that make it safe. Also one writer alone, both ways. Figures: median wall time of
// ROUNDS rounds from "go" to the last process done, and writes per second.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { openStore } from '../core/store/open-store.js';
import { findingFixture, reportFixture } from '../test/api/report-fixture.js';

const WRITERS = Number(process.env.STORE_BENCH_WRITERS ?? 8);
const REPORTS = Number(process.env.STORE_BENCH_REPORTS ?? 100);
const ROUNDS = 9;
type Mode = 'driftwatch' | 'plain-keyv';

/** A report of 20 findings, each with one changed setting. */
const report = (worker: number, i: number) =>
  reportFixture(
    'prod',
    '2026-11-27T10:00:00Z',
    Array.from({ length: 20 }, (_, f) =>
      findingFixture(`w${worker}r${i}f${f}`, {
        changes: [
          {
            path: 'properties.siteConfig.minTlsVersion',
            before: '1.2',
            after: '1.0',
            severity: 'high',
            rule: 'rule-1',
            why: 'because',
          },
        ],
      }),
    ),
  );

/** A writer process: opens the store, says ready, writes on "go", exits. */
async function writer(mode: Mode, file: string, worker: number) {
  const write =
    mode === 'driftwatch'
      ? await (async () => {
          const store = await openStore({ path: file, retention: { reportsPerScope: 100_000 } });
          return {
            save: (i: number) => store.saveReport(report(worker, i)),
            close: () => store.close(),
          };
        })()
      : (() => {
          const keyv = new Keyv({
            store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 }),
            namespace: 'driftwatch',
            throwOnErrors: true,
          });
          return {
            save: (i: number) => keyv.set(`report:w${worker}-${i}`, report(worker, i)),
            close: () => keyv.disconnect(),
          };
        })();
  await write.save(-1); // the connection is open and the tables exist
  process.stdout.write('ready\n');
  await new Promise((done) => process.stdin.once('data', done));
  await Promise.all(Array.from({ length: REPORTS }, (_, i) => write.save(i)));
  await write.close();
  process.stdin.destroy();
}

async function round(mode: Mode, writers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-bench-store-'));
  const file = join(dir, 'store.sqlite');
  // The first process creates the file and its tables alone, as in real use.
  await openStore({ path: file }).then((s) => s.close());
  const self = fileURLToPath(import.meta.url);
  const procs = Array.from({ length: writers }, (_, w) =>
    spawn(process.execPath, [self, 'writer', mode, file, String(w)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  await Promise.all(
    procs.map((p) => new Promise<void>((done) => p.stdout.once('data', () => done()))),
  );
  const go = performance.now();
  const exits = procs.map(
    (p) =>
      new Promise<void>((done, fail) =>
        p.on('close', (code) => (code === 0 ? done() : fail(new Error(`writer exited ${code}`)))),
      ),
  );
  for (const p of procs) p.stdin.write('go\n');
  await Promise.all(exits);
  const elapsed = performance.now() - go;
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

if (process.argv[2] === 'writer') {
  await writer(process.argv[3] as Mode, process.argv[4] ?? '', Number(process.argv[5]));
} else {
  console.log(
    `${REPORTS} reports (20 findings each) per process, median of ${ROUNDS} alternating rounds`,
  );
  for (const writers of [1, WRITERS]) {
    const times: Record<Mode, number[]> = { driftwatch: [], 'plain-keyv': [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of ['driftwatch', 'plain-keyv'] as const) {
        times[mode].push(await round(mode, writers));
      }
    }
    const writes = writers * REPORTS;
    const ours = median(times.driftwatch);
    const plain = median(times['plain-keyv']);
    const rate = (ms: number) => Math.round(writes / (ms / 1000));
    console.log(
      `${writers} writer(s), ${writes} reports: driftwatch store ${ours.toFixed(0)} ms (${rate(ours)}/s)` +
        ` · plain keyv on @keyv/sqlite (reference, bodies only) ${plain.toFixed(0)} ms (${rate(plain)}/s)` +
        ` · ${(ours / plain).toFixed(2)}×`,
    );
  }
}
