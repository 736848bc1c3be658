// One of N processes writing to the same store at once (spawned by concurrent-writers.test.ts).
// argv[2]: JSON { worker, redisUrl?, path?, namespace }. Says `ready` once the store is open,
// writes when stdin says `go` (so all processes write at the same moment), then prints what it
// wrote as JSON.
import { once } from 'node:events';
import { saveSubscription, subscriptionId } from '../../core/schedule/chat-subscriptions.js';
import { addChatIgnoreRule } from '../../core/store/chat-ignore-rules.js';
import { openStore } from '../../core/store/open-store.js';
import {
  concurrentReport,
  concurrentSnapshot,
  PER_WORKER,
  RETENTION,
} from './concurrent-writes.js';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  worker: number;
  redisUrl?: string;
  path?: string;
  namespace: string;
};
const w = options.worker;
const store = await openStore({
  namespace: options.namespace,
  retention: RETENTION,
  ...(options.redisUrl ? { redisUrl: options.redisUrl } : { path: options.path ?? '' }),
});
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const now = new Date('2026-11-21T10:00:00Z');
const counter = store.keyValue<number>('counters');
const secrets = store.keyValue<string>('secrets');
const runs = Array.from({ length: PER_WORKER }, (_, i) => i);
const written = await Promise.all([
  Promise.all(runs.map((i) => store.saveReport(concurrentReport(w, i)).then((r) => r.id))),
  Promise.all(
    runs.map((i) => store.setBaseline('prod', concurrentSnapshot(w, i)).then((b) => b.snapshotId)),
  ),
  store.setBaseline(`scope-${w}`, concurrentSnapshot(w, 0)).then((b) => b.snapshotId),
  Promise.all(
    runs.map((i) =>
      store.accept({
        scope: 'prod',
        fingerprint: `w${w}-f${i}`,
        by: `worker-${w}`,
        at: now.toISOString(),
      }),
    ),
  ),
  Promise.all(
    runs.map((i) =>
      addChatIgnoreRule(
        store,
        'prod',
        {
          path: `tags.w${w}r${i}`,
          owner: `U${w}`,
          reason: 'load',
          expires: '2027-01-01T00:00:00Z',
        },
        now,
      ),
    ),
  ),
  Promise.all(
    runs.map((i) =>
      saveSubscription(store, {
        id: subscriptionId('slack', `C${w}${i}`, 'prod'),
        chat: 'slack',
        conversation: `C${w}${i}`,
        scope: 'prod',
        schedule: { text: 'daily 09:00', cron: '0 9 * * *', timezone: 'UTC' },
        minSeverity: 'high',
        allClear: false,
        createdBy: `U${w}`,
        createdAt: now.toISOString(),
      }),
    ),
  ),
  Promise.all(runs.map(() => counter.update('writes', (n = 0) => n + 1))),
  secrets.setIfAbsent('hmac-key', `key-of-worker-${w}`),
]);
await store.close();
const [reports, snapshots, ownBaseline, , , , , secret] = written;
process.stdout.write(`${JSON.stringify({ reports, snapshots, ownBaseline, secret })}\n`);
process.stdin.destroy();
