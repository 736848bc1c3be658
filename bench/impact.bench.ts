// Bench: what the dependency graph and blast radius add to `driftwatch diff` on 50,000
// resources. Each corpus is diffed with impact off (`impact.enabled: false`, the reference) and
// on, alternating in the same run; goal: impact on ≤ 1.10× impact off. Two corpora: the diff
// bench's (few references) and a linked estate (VNets, NSGs, NICs, VMs, disks, IPs, apps, vaults,
// every resource referring to others as ARM writes them).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildDependencyGraph } from '../core/impact/build-dependency-graph.js';
import { readSnapshotFile } from '../core/snapshot/read-snapshot-file.js';
import { writeEstate } from './diff/generate-estate.js';
import { writeLinkedEstate } from './impact/generate-linked-estate.js';

const COUNT = Number(process.env.IMPACT_BENCH_COUNT ?? 50_000);
const RUNS = Number(process.env.IMPACT_BENCH_RUNS ?? 5);
const dir = 'bench/.data';
const offConfig = `${dir}/impact-off.json`;
const onConfig = `${dir}/impact-on.json`;
writeFileSync(offConfig, JSON.stringify({ impact: { enabled: false } }));
writeFileSync(onConfig, JSON.stringify({ impact: { enabled: true } }));

const corpora = [
  {
    name: 'diff bench estate',
    baseline: `${dir}/diff-baseline-v2-${COUNT}.json`,
    current: `${dir}/diff-current-v2-${COUNT}.json`,
    write: (baselineFile: string, currentFile: string) =>
      writeEstate({ count: COUNT, driftRatio: 0.02, baselineFile, currentFile }),
  },
  {
    name: 'linked estate',
    baseline: `${dir}/impact-baseline-v1-${COUNT}.json`,
    current: `${dir}/impact-current-v1-${COUNT}.json`,
    write: (baselineFile: string, currentFile: string) =>
      writeLinkedEstate({ count: COUNT, driftRatio: 0.02, baselineFile, currentFile }),
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function diffMs(
  baseline: string,
  current: string,
  config: string,
): { ms: number; cpuMs: number; out: string } {
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      './bench/impact/report-cpu.mjs',
      process.env.IMPACT_BENCH_BIN ?? 'bin/driftwatch.js',
      'diff',
      '--baseline',
      baseline,
      '--current',
      current,
      '--format',
      'json',
      '--config',
      config,
    ],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
  );
  const ms = performance.now() - start;
  if (child.status !== 0 && child.status !== 2)
    throw new Error(`diff failed (${child.status}): ${child.stderr.slice(0, 500)}`);
  const cpuMs = Number(/__CPU_MS__ (\d+)/.exec(child.stderr)?.[1]);
  return { ms, cpuMs, out: child.stdout };
}

console.log(
  `${COUNT.toLocaleString('en-US')} resources per snapshot; ${RUNS} runs each, alternating, median reported`,
);
// IMPACT_BENCH_ONLY=linked runs one corpus (by the first word of its name).
const only = process.env.IMPACT_BENCH_ONLY;
for (const corpus of corpora.filter((c) => !only || c.name.startsWith(only))) {
  if (!existsSync(corpus.baseline) || !existsSync(corpus.current)) {
    const { drifted } = await corpus.write(corpus.baseline, corpus.current);
    console.log(`generated ${corpus.name}: ${drifted} drifted`);
  }
  const off: Array<{ ms: number; cpuMs: number }> = [];
  const on: Array<{ ms: number; cpuMs: number }> = [];
  let sample = '';
  for (let i = 0; i < RUNS; i++) {
    off.push(diffMs(corpus.baseline, corpus.current, offConfig));
    const run = diffMs(corpus.baseline, corpus.current, onConfig);
    on.push(run);
    sample = run.out;
  }
  const report = JSON.parse(sample) as { findings: Array<{ impact?: { radius: unknown[] } }> };
  const withRadius = report.findings.filter((f) => (f.impact?.radius.length ?? 0) > 0).length;
  const snapshot = readSnapshotFile(corpus.current).snapshot;
  const t = performance.now();
  const graph = buildDependencyGraph(snapshot);
  const buildMs = performance.now() - t;
  const wall = [median(off.map((r) => r.ms)), median(on.map((r) => r.ms))] as const;
  const cpu = [median(off.map((r) => r.cpuMs)), median(on.map((r) => r.cpuMs))] as const;
  console.log(
    `\n${corpus.name}: ${graph.nodes.size.toLocaleString('en-US')} nodes, ${graph.edges.length.toLocaleString('en-US')} edges; graph built in ${buildMs.toFixed(0)} ms in-process`,
  );
  console.log('                                            wall time   CPU time');
  console.log(
    `  driftwatch diff, impact off (reference)   ${(wall[0] / 1000).toFixed(2)} s      ${(cpu[0] / 1000).toFixed(2)} s`,
  );
  console.log(
    `  driftwatch diff, impact on                ${(wall[1] / 1000).toFixed(2)} s      ${(cpu[1] / 1000).toFixed(2)} s   ${report.findings.length} findings, ${withRadius} with a blast radius`,
  );
  console.log(
    `  ratio wall ${(wall[1] / wall[0]).toFixed(3)}× · CPU ${(cpu[1] / cpu[0]).toFixed(3)}× (goal ≤ 1.10×)`,
  );
}
