import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSubscriptions } from '../../core/schedule/chat-subscriptions.js';
import { listChatIgnoreRules } from '../../core/store/chat-ignore-rules.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { buildTestChild } from '../support/build-test-child.js';
import { describeWithRedis, REDIS_URL } from '../support/requirements.js';
import { PER_WORKER, RETENTION, WORKERS } from './concurrent-writes.js';

interface WorkerOutput {
  reports: string[];
  snapshots: string[];
  ownBaseline: string;
  secret: string;
}
type Target = { path: string } | { redisUrl: string };

const workers = Array.from({ length: WORKERS }, (_, w) => w);
const each = (make: (w: number, i: number) => string) =>
  workers.flatMap((w) => Array.from({ length: PER_WORKER }, (_, i) => make(w, i))).sort();

/** Starts every worker process; once all have opened the store, tells them all to write. */
async function runWorkers(child: string, target: Target, namespace: string) {
  const started = workers.map((worker) => {
    const args = JSON.stringify({ worker, namespace, ...target });
    const proc = spawn(process.execPath, [child, args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((done) => {
      markReady = done;
    });
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.startsWith('ready\n')) markReady();
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const finished = new Promise<WorkerOutput>((done, fail) => {
      proc.on('close', (code) =>
        code === 0
          ? done(JSON.parse(stdout.slice('ready\n'.length)) as WorkerOutput)
          : fail(new Error(`worker ${worker} exited ${code}: ${stderr}`)),
      );
    });
    return { proc, ready: Promise.race([ready, finished.then(() => undefined)]), finished };
  });
  try {
    await Promise.all(started.map((s) => s.ready));
  } catch (error) {
    for (const { proc } of started) proc.kill();
    throw error;
  }
  for (const { proc } of started) proc.stdin.write('go\n');
  return Promise.all(started.map((s) => s.finished));
}

/** Everything every worker wrote is there exactly once, and the store reads back whole. */
async function expectIntact(store: DriftStore, outputs: WorkerOutput[]) {
  const reports = await store.listReports({ scope: 'prod' });
  expect(reports.map((r) => r.id).sort()).toEqual(outputs.flatMap((o) => o.reports).sort());
  const bodies = await Promise.all(reports.map((r) => store.getReport(r.id)));
  expect(bodies.map((b) => b?.report.findings[0]?.fingerprint).sort()).toEqual(
    each((w, i) => `w${w}-report-${i}`),
  );

  const history = await store.baselineHistory('prod');
  const written = outputs.flatMap((o) => o.snapshots);
  expect(history).toHaveLength(RETENTION.baselinesPerScope);
  expect(new Set(history.map((h) => h.snapshotId)).size).toBe(RETENTION.baselinesPerScope);
  expect(written).toEqual(expect.arrayContaining(history.map((h) => h.snapshotId)));
  expect((await store.getBaseline('prod'))?.record).toEqual(history[0]);
  const kept = await Promise.all(history.map((h) => store.getSnapshot(h.snapshotId)));
  expect(kept.every((s) => s?.resources.length === 1)).toBe(true);
  // Retention deleted exactly the snapshots that dropped out of the history.
  const dropped = written.filter((id) => !history.some((h) => h.snapshotId === id));
  expect(dropped).toHaveLength(WORKERS * PER_WORKER - RETENTION.baselinesPerScope);
  expect(await Promise.all(dropped.map((id) => store.getSnapshot(id)))).toEqual(
    dropped.map(() => undefined),
  );
  expect((await store.listBaselines()).map((b) => b.scope).sort()).toEqual(
    ['prod', ...workers.map((w) => `scope-${w}`)].sort(),
  );

  expect((await store.listAccepted('prod')).map((a) => a.fingerprint).sort()).toEqual(
    each((w, i) => `w${w}-f${i}`),
  );
  expect((await listChatIgnoreRules(store, 'prod')).map((r) => r.path).sort()).toEqual(
    each((w, i) => `tags.w${w}r${i}`),
  );
  expect((await listSubscriptions(store)).map((s) => s.conversation).sort()).toEqual(
    each((w, i) => `C${w}${i}`),
  );
  expect(await store.keyValue<number>('counters').get('writes')).toBe(WORKERS * PER_WORKER);
  // setIfAbsent: one worker's key won and every worker was handed that same key.
  const secret = await store.keyValue<string>('secrets').get('hmac-key');
  expect(workers.map((w) => `key-of-worker-${w}`)).toContain(secret);
  expect(outputs.map((o) => o.secret)).toEqual(workers.map(() => secret));
}

describe(`DriftStore written by ${WORKERS} processes at once`, () => {
  let child: string;
  beforeAll(async () => {
    child = await buildTestChild('test/store/write-concurrently-child.ts');
  });

  it('on SQLite loses nothing, duplicates nothing and reads back intact', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dw-multi-')), 'store.sqlite');
    const outputs = await runWorkers(child, { path }, 'driftwatch');
    const store = await openStore({ path, retention: RETENTION });
    try {
      await expectIntact(store, outputs);
    } finally {
      await store.close();
    }
  }, 60_000);

  describeWithRedis('on Redis', () => {
    const namespace = `dwtest-multi-${randomBytes(4).toString('hex')}`;
    afterAll(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('loses nothing, duplicates nothing and reads back intact', async () => {
      const outputs = await runWorkers(child, { redisUrl: REDIS_URL }, namespace);
      const store = await openStore({ redisUrl: REDIS_URL, namespace, retention: RETENTION });
      try {
        await expectIntact(store, outputs);
      } finally {
        await store.close();
      }
    }, 60_000);
  });
});
