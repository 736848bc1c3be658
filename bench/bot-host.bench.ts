// Bench: what hosting Slack on driftwatch's own server costs. The same Bolt app and signed
// `/drift` slash commands (Bolt verifies each signature and acks), sent to Bolt's HTTP receiver
// mounted on the bot host (bot/http/create-bot-server.ts: route lookup, correlation id) and, as
// the reference, to the same kind of receiver listening on Bolt's own server (`receiver.start`),
// alternating rounds in the same run. Figures: median and p95 latency of sequential requests, and
// requests per second with 16 in flight. Goal: host ≤ 1.1× the reference on every figure.
// Rounds alternate host and reference, and each figure is the median over rounds of the paired
// ratio, so load from other processes hits both sides alike. BOT_HOST_BENCH_REQUESTS sets the
// requests per round (default 500).
import type { App, HTTPReceiver } from '@slack/bolt';
import { createBotLogger } from '../bot/bot-logger.js';
import { createBotServer } from '../bot/http/create-bot-server.js';
import { createSlackApp, EVENTS_PATH } from '../bot/slack/create-slack-app.js';
import { signSlackRequest } from '../test/sim/slack/sign-slack-request.js';
import { startSlackSimulator } from '../test/sim/slack/slack-simulator.js';

const REQUESTS = Number(process.env.BOT_HOST_BENCH_REQUESTS ?? 500);
const ROUNDS = 10;
const IN_FLIGHT = 16;
const TOKEN = 'xoxb-bench-0000000000001';
const SECRET = 'bench-signing-secret-0123456789abcdef';
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as never,
  setName: () => undefined,
};

const sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
const ackOnly = (app: App) => app.command('/drift', async ({ ack }) => ack());

// The host: our server, Bolt's receiver mounted at /slack/events.
const hosted = createSlackApp({
  token: TOKEN,
  signingSecret: SECRET,
  slackApiUrl: sim.apiUrl,
  logger: quiet,
});
ackOnly(hosted.app);
const http = createBotServer({ log: createBotLogger({ level: 'silent' }) });
http.route('POST', EVENTS_PATH, (hosted.receiver as HTTPReceiver).requestListener);
const hostUrl = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}${EVENTS_PATH}`;

// The reference: Bolt's receiver on Bolt's own server.
const own = createSlackApp({
  token: TOKEN,
  signingSecret: SECRET,
  slackApiUrl: sim.apiUrl,
  logger: quiet,
});
ackOnly(own.app);
const ownServer = await (own.receiver as HTTPReceiver).start(0);
const ownPort = (ownServer.address() as { port: number }).port;
const ownUrl = `http://127.0.0.1:${ownPort}${EVENTS_PATH}`;

const form = new URLSearchParams({
  command: '/drift',
  text: 'help',
  team_id: 'T0BENCH',
  channel_id: 'C0BENCH',
  user_id: 'U0BENCH',
  user_name: 'bench',
  response_url: sim.responseUrl('bench'),
  trigger_id: '1.2.3',
  api_app_id: 'A0BENCH',
}).toString();

async function send(url: string): Promise<number> {
  const headers = signSlackRequest({
    secret: SECRET,
    body: form,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const t0 = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - t0;
}

async function round(url: string) {
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) latencies.push(await send(url));
  latencies.sort((a, b) => a - b);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < REQUESTS) {
        next += 1;
        await send(url);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    median: latencies[Math.floor(latencies.length / 2)] ?? 0,
    p95: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
    perSecond: REQUESTS / seconds,
  };
}

// Warm both paths (JIT, keep-alive sockets) before measuring.
await round(hostUrl);
await round(ownUrl);
const host: Awaited<ReturnType<typeof round>>[] = [];
const reference: Awaited<ReturnType<typeof round>>[] = [];
for (let i = 0; i < ROUNDS; i += 1) {
  host.push(await round(hostUrl));
  reference.push(await round(ownUrl));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const of = (rounds: typeof host, key: 'median' | 'p95' | 'perSecond') =>
  median(rounds.map((x) => x[key]));
const h = { median: of(host, 'median'), p95: of(host, 'p95'), perSecond: of(host, 'perSecond') };
const r = {
  median: of(reference, 'median'),
  p95: of(reference, 'p95'),
  perSecond: of(reference, 'perSecond'),
};
const paired = (f: (hr: (typeof host)[number], rr: (typeof host)[number]) => number) =>
  median(host.map((hr, i) => f(hr, reference[i] as (typeof host)[number])));
const ratios = {
  median: paired((hr, rr) => hr.median / rr.median),
  p95: paired((hr, rr) => hr.p95 / rr.p95),
  perSecond: paired((hr, rr) => rr.perSecond / hr.perSecond),
};

console.log(
  `Signed /drift slash commands, Bolt verifying and acking · ${REQUESTS} per round, ${ROUNDS} alternating rounds (medians; ratio = median of paired ratios)`,
);
console.log('                       bot host (ours)   Bolt own server (reference)   ratio');
console.log(
  `  median latency       ${h.median.toFixed(3)} ms          ${r.median.toFixed(3)} ms                     ${ratios.median.toFixed(2)}×`,
);
console.log(
  `  p95 latency          ${h.p95.toFixed(3)} ms          ${r.p95.toFixed(3)} ms                     ${ratios.p95.toFixed(2)}×`,
);
console.log(
  `  ${IN_FLIGHT} in flight         ${h.perSecond.toFixed(0)} req/s         ${r.perSecond.toFixed(0)} req/s                      ${ratios.perSecond.toFixed(2)}× time`,
);
const met = Object.values(ratios).every((x) => x <= 1.1);
console.log(`  goal ≤ 1.1× on every figure: ${met ? 'met' : 'NOT met'}`);

await http.close();
await (own.receiver as HTTPReceiver).stop();
await sim.close();
process.exitCode = met ? 0 : 1;
