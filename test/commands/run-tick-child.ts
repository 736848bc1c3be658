// One replica running a scheduled tick (spawned by summary-tick-once.test.ts). argv[2]: JSON
// { redisUrl, namespace, tickId }. Says `ready` once the store is open, runs the tick when stdin
// says `go` (so every process runs it at the same moment), then prints its outcome and what it
// posted as JSON.
import { once } from 'node:events';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { runSubscriptionTick } from '../../core/schedule/run-subscription-tick.js';
import { openStore } from '../../core/store/open-store.js';
import { fakeConfig, fakeFinding, fakeReport, fakeScanner } from './fake-drift.js';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  redisUrl: string;
  namespace: string;
  subscriptionId: string;
  tickId: string;
};
const store = await openStore({ redisUrl: options.redisUrl, namespace: options.namespace });
const { scan } = fakeScanner(store, {
  prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
});
const posted: ChatMessage[] = [];
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const { outcome } = await runSubscriptionTick({
  subscriptionId: options.subscriptionId,
  store,
  config: fakeConfig(),
  clock: { now: () => new Date() },
  scan,
  post: async (_subscription, message) => void posted.push(message),
  tickId: options.tickId,
});
await store.close();
// stdin stays open (the parent may still hold it), so leave explicitly once the line is out.
process.stdout.write(JSON.stringify({ outcome, posted: posted.map((m) => m.text) }), () =>
  process.exit(0),
);
