// Bench: `driftwatch diff` end to end on 50,000 ARM-like resources (2–8 KB each, noise on every
// resource, real drift on 2%) vs the reference, a plain parse + microdiff of every pair. The two
// run alternately in the same run; wall time, CPU time and peak RSS are medians over the runs.
// The reference's peak RSS is bimodal (whether a major GC lands before its peak), so memory is
// compared with the median of its runs and the range is printed beside it.
// A third row runs the same diff with the blast radius off (`impact.enabled: false`): the engine's
// own figure, since the dependency graph has its own budget (≤ 1.1× of this, `impact` bench).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { writeEstate } from './diff/generate-estate.js';

const COUNT = Number(process.env.DIFF_BENCH_COUNT ?? 50_000);
const RUNS = Number(process.env.DIFF_BENCH_RUNS ?? 5);
const dir = 'bench/.data';
// The corpus version is in the name: a generator change must not reuse an old corpus.
const baselineFile = `${dir}/diff-baseline-v2-${COUNT}.json`;
const currentFile = `${dir}/diff-current-v2-${COUNT}.json`;

interface Run {
  ms: number;
  cpuMs: number;
  rssMiB: number;
  stdout: string;
}

function measure(args: string[]): Run {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', './bench/diff/report-rss.mjs', ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  const rss = /__MAXRSS_KB__ (\d+)/.exec(child.stderr)?.[1];
  if (child.status !== 0 && child.status !== 2)
    throw new Error(`${args.join(' ')} failed (${child.status}): ${child.stderr.slice(0, 500)}`);
  const cpuMs = Number(/__CPU_MS__ (\d+)/.exec(child.stderr)?.[1]);
  return { ms, cpuMs, rssMiB: Number(rss) / 1024, stdout: child.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

if (!existsSync(baselineFile) || !existsSync(currentFile)) {
  const t = performance.now();
  const { drifted } = await writeEstate({
    count: COUNT,
    driftRatio: 0.02,
    baselineFile,
    currentFile,
  });
  console.log(
    `generated ${COUNT.toLocaleString('en-US')} resource pairs (${drifted} drifted) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
const mib = (f: string) => statSync(f).size / 1024 / 1024;
console.log(
  `files: baseline ${mib(baselineFile).toFixed(0)} MiB, current ${mib(currentFile).toFixed(0)} MiB; ${RUNS} runs each, median reported`,
);

mkdirSync(dir, { recursive: true });
const impactOffConfig = `${dir}/diff-impact-off.json`;
writeFileSync(impactOffConfig, JSON.stringify({ impact: { enabled: false } }));
const diffArgs = [
  // DIFF_BENCH_BIN: another build of the CLI (a copy of an earlier commit, to compare).
  process.env.DIFF_BENCH_BIN ?? 'bin/driftwatch.js',
  'diff',
  '--baseline',
  baselineFile,
  '--current',
  currentFile,
  '--format',
  'json',
];

const ours: Run[] = [];
const engine: Run[] = [];
const ref: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  ref.push(measure(['bench/diff/reference-microdiff.mjs', baselineFile, currentFile]));
  ours.push(measure(diffArgs));
  engine.push(measure([...diffArgs, '--config', impactOffConfig]));
}
const report = JSON.parse((ours[0] as Run).stdout) as {
  summary: { findings: number; suppressed: { total: number } };
};
const refResult = JSON.parse((ref[0] as Run).stdout) as { changed: number; differences: number };
const oursMs = median(ours.map((r) => r.ms));
const refMs = median(ref.map((r) => r.ms));
const oursCpu = median(ours.map((r) => r.cpuMs));
const refCpu = median(ref.map((r) => r.cpuMs));
const oursRss = median(ours.map((r) => r.rssMiB));
const engineMs = median(engine.map((r) => r.ms));
const engineCpu = median(engine.map((r) => r.cpuMs));
const engineRss = median(engine.map((r) => r.rssMiB));
const refRss = median(ref.map((r) => r.rssMiB));
const range = (runs: Run[]) =>
  `${Math.min(...runs.map((r) => r.rssMiB)).toFixed(0)}–${Math.max(...runs.map((r) => r.rssMiB)).toFixed(0)}`;
const rows = [
  ['', 'wall time', 'CPU time', 'resources/s', 'peak RSS', 'result'],
  [
    'driftwatch diff',
    `${(oursMs / 1000).toFixed(2)} s`,
    `${(oursCpu / 1000).toFixed(2)} s`,
    Math.round(COUNT / (oursMs / 1000)).toLocaleString('en-US'),
    `${oursRss.toFixed(0)} MiB`,
    `${report.summary.findings} findings, ${report.summary.suppressed.total.toLocaleString('en-US')} noise changes suppressed`,
  ],
  [
    'driftwatch diff, impact off',
    `${(engineMs / 1000).toFixed(2)} s`,
    `${(engineCpu / 1000).toFixed(2)} s`,
    Math.round(COUNT / (engineMs / 1000)).toLocaleString('en-US'),
    `${engineRss.toFixed(0)} MiB`,
    'the engine without the dependency graph',
  ],
  [
    'reference (parse + microdiff)',
    `${(refMs / 1000).toFixed(2)} s`,
    `${(refCpu / 1000).toFixed(2)} s`,
    Math.round(COUNT / (refMs / 1000)).toLocaleString('en-US'),
    `${refRss.toFixed(0)} MiB`,
    `${refResult.changed} pairs differ (${refResult.differences.toLocaleString('en-US')} raw differences)`,
  ],
];
for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 32 : 14)).join(' '));
console.log(
  `ratio time ${(oursMs / refMs).toFixed(2)}× wall, ${(oursCpu / refCpu).toFixed(2)}× CPU (goal ≤ 1.0×) · ratio peak memory ${(oursRss / refRss).toFixed(2)}× (goal ≤ 1.5×; medians of ${RUNS} runs each, RSS ranges: driftwatch ${range(ours)} MiB, reference ${range(ref)} MiB)`,
);
console.log(
  `impact off: ratio time ${(engineMs / refMs).toFixed(2)}× wall, ${(engineCpu / refCpu).toFixed(2)}× CPU · ratio peak memory ${(engineRss / refRss).toFixed(2)}× (RSS range ${range(engine)} MiB) · the graph adds ${(oursCpu / engineCpu).toFixed(2)}× CPU (goal ≤ 1.1×)`,
);
