import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket from 'ws';
import { validateBlocks } from './validate-blocks.js';

/** One Web API call or response_url post the simulator received. */
export interface SimCall {
  method: string;
  args: Record<string, unknown>;
  /** What the simulator answered (status and body). */
  status: number;
  response: Record<string, unknown>;
}

export interface SlackSimulatorOptions {
  token: string;
  /** User group id → member user ids (usergroups.users.list). */
  usergroups?: Record<string, string[]>;
  users?: Record<string, { name: string; real_name?: string; tz?: string }>;
  /** Minimum milliseconds between chat.postMessage calls to one channel; Slack allows about 1/s. */
  channelIntervalMs?: number;
  /** Channels that answer `is_archived` to posts. */
  archivedChannels?: string[];
  /** Seconds sent in Retry-After on a 429. */
  retryAfterSeconds?: number;
  now?: () => number;
  /** An app-level token (`xapp-…`): `apps.connections.open` then hands out a Socket Mode URL. */
  appToken?: string;
}

/** A Socket Mode envelope as Slack sends it over the WebSocket. */
export interface SocketEnvelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
}

const MAX_TEXT = 40_000;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * A local Slack Web API for the real `WebClient` (`slackApiUrl: sim.apiUrl`) and for
 * `response_url`s (`sim.responseUrl(id)`). It validates tokens, rejects Block Kit over Slack's
 * limits with Slack's own errors, rate-limits posts per channel with 429 + Retry-After, records
 * every call, and answers requests it does not understand with an error recorded in `unexpected`.
 */
export async function startSlackSimulator(options: SlackSimulatorOptions) {
  const now = options.now ?? Date.now;
  const interval = options.channelIntervalMs ?? 1000;
  const calls: SimCall[] = [];
  const unexpected: string[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const lastPost = new Map<string, number>();
  let seq = 0;
  const nextTs = () => `${1_763_715_600 + seq}.${String(++seq).padStart(6, '0')}`;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      unexpected.push(`handler crashed: ${(error as Error).message}`);
      send(res, 500, { ok: false, error: 'internal_error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      const args = JSON.parse(raw || '{}') as Record<string, unknown>;
      const errors = args.blocks === undefined ? [] : validateBlocks(args.blocks);
      const response = errors.length
        ? { ok: false, error: 'invalid_blocks', errors }
        : { ok: true };
      return reply(
        res,
        `response_url:${url.pathname.slice(10)}`,
        args,
        errors.length ? 400 : 200,
        response,
      );
    }
    const method = url.pathname.replace(/^\/api\//, '');
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) {
      unexpected.push(`${req.method} ${url.pathname}`);
      return send(res, 404, { ok: false, error: 'unknown_method' });
    }
    const args = parseArgs(req, raw);
    const auth =
      req.headers.authorization ?? (args.token ? `Bearer ${String(args.token)}` : undefined);
    if (!auth) return reply(res, method, args, 200, { ok: false, error: 'not_authed' });
    // Socket Mode's only Web API call, made with the app-level token (docs.slack.dev, apps.connections.open).
    if (method === 'apps.connections.open') {
      if (!options.appToken || auth !== `Bearer ${options.appToken}`) {
        return reply(res, method, args, 200, { ok: false, error: 'invalid_auth' });
      }
      return reply(res, method, args, 200, { ok: true, url: `${wsBase}/link/?ticket=${++seq}` });
    }
    if (auth !== `Bearer ${options.token}`)
      return reply(res, method, args, 200, { ok: false, error: 'invalid_auth' });
    const handler = METHODS[method];
    if (!handler) {
      unexpected.push(`unknown Web API method ${method}`);
      return reply(res, method, args, 200, { ok: false, error: 'unknown_method' });
    }
    const [status, response, headers] = handler(args);
    return reply(res, method, args, status, response, headers);
  }

  type Result = [number, Record<string, unknown>, Record<string, string>?];
  const ok = (body: Record<string, unknown> = {}): Result => [200, { ok: true, ...body }];
  const fail = (error: string, extra: Record<string, unknown> = {}): Result => [
    200,
    { ok: false, error, ...extra },
  ];

  function checkMessage(args: Record<string, unknown>): Result | undefined {
    if (typeof args.channel !== 'string' || args.channel === '') return fail('channel_not_found');
    if (args.text === undefined && args.blocks === undefined) return fail('no_text');
    if (typeof args.text === 'string' && args.text.length > MAX_TEXT) return fail('msg_too_long');
    if (args.blocks !== undefined) {
      const errors = validateBlocks(args.blocks);
      if (errors.length > 0) return fail('invalid_blocks', { errors });
    }
    return undefined;
  }

  const METHODS: Record<string, (args: Record<string, unknown>) => Result> = {
    'auth.test': () =>
      ok({
        url: 'https://sim.slack.com/',
        team: 'Sim',
        user: 'driftwatch',
        team_id: 'T0SIM',
        user_id: 'U0BOT',
        bot_id: 'B0BOT',
      }),
    'chat.postMessage': (args) => {
      const bad = checkMessage(args);
      if (bad) return bad;
      const channel = String(args.channel);
      if (options.archivedChannels?.includes(channel)) return fail('is_archived');
      const last = lastPost.get(channel);
      const at = now();
      if (last !== undefined && at - last < interval) {
        return [
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        ];
      }
      lastPost.set(channel, at);
      const ts = nextTs();
      const message = { ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts };
      messages.set(`${channel}/${ts}`, message);
      return ok({ channel, ts, message });
    },
    'chat.update': (args) => {
      const bad = checkMessage(args);
      if (bad) return bad;
      const key = `${String(args.channel)}/${String(args.ts)}`;
      if (!messages.has(key)) return fail('message_not_found');
      messages.set(key, { ...messages.get(key), text: args.text, blocks: args.blocks });
      return ok({ channel: args.channel, ts: args.ts, text: args.text });
    },
    'chat.postEphemeral': (args) => {
      const bad = checkMessage(args);
      if (bad) return bad;
      if (typeof args.user !== 'string') return fail('user_not_found');
      return ok({ message_ts: nextTs() });
    },
    'views.open': (args) => {
      if (typeof args.trigger_id !== 'string') return fail('invalid_trigger_id');
      const view = args.view as Record<string, unknown> | undefined;
      const errors = validateBlocks(view?.blocks ?? []);
      if (errors.length > 0) return fail('invalid_blocks', { errors });
      return ok({ view: { id: `V${++seq}`, ...view } });
    },
    'users.info': (args) => {
      const user = options.users?.[String(args.user)];
      return user ? ok({ user: { id: args.user, ...user } }) : fail('user_not_found');
    },
    'usergroups.users.list': (args) => {
      const members = options.usergroups?.[String(args.usergroup)];
      return members ? ok({ users: members }) : fail('no_such_subteam');
    },
  };

  function reply(
    res: ServerResponse,
    method: string,
    args: Record<string, unknown>,
    status: number,
    response: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const { token: _token, ...shown } = args;
    calls.push({ method, args: shown, status, response });
    send(res, status, response, headers);
  }

  // Socket Mode: the WebSocket behind the URL apps.connections.open hands out. It says hello,
  // carries envelopes to the app and records the app's acks.
  const sockets = new WebSocket.Server({ noServer: true });
  const open = new Set<WebSocket>();
  const acks: { envelope_id: string; payload?: unknown }[] = [];
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/link/')) {
      unexpected.push(`upgrade ${req.url}`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket as Socket, head, (ws) => {
      open.add(ws);
      ws.on('close', () => open.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (typeof message.envelope_id !== 'string') {
          unexpected.push(`socket message ${String(data)}`);
          return;
        }
        acks.push({ envelope_id: message.envelope_id, payload: message.payload });
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: open.size,
          debug_info: { host: 'sim', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0SIM' },
        }),
      );
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wsBase = base.replace(/^http/, 'ws');
  return {
    /** `slackApiUrl` for the WebClient (ends with a slash, as the client expects). */
    apiUrl: `${base}/api/`,
    responseUrl: (id: string) => `${base}/response/${id}`,
    calls,
    unexpected,
    /** A message as it stands now (after chat.update). */
    message: (channel: string, ts: string) => messages.get(`${channel}/${ts}`),
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** Socket Mode: open connections, envelopes sent, acks received. */
    socket: {
      connections: () => open.size,
      send(envelope: SocketEnvelope) {
        for (const ws of open) ws.send(JSON.stringify(envelope));
        return open.size;
      },
      acks,
    },
    close: () =>
      new Promise<void>((done) => {
        for (const ws of open) ws.terminate();
        sockets.close();
        server.close(() => done());
      }),
  };
}

export type SlackSimulator = Awaited<ReturnType<typeof startSlackSimulator>>;

function parseArgs(req: IncomingMessage, raw: string): Record<string, unknown> {
  if (String(req.headers['content-type']).includes('application/json')) {
    return JSON.parse(raw || '{}') as Record<string, unknown>;
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes objects and arrays inside form fields.
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', failed);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { ...JSON_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}
