import { type Logger, pino } from 'pino';
import { type MountedApi, mountApi } from '../../bot/api/mount-api.js';
import type { RenderPage } from '../../bot/api/serve-report-page.js';
import { createBotServer } from '../../bot/http/create-bot-server.js';
import { createApiKey, hashApiKey } from '../../core/api/api-key.js';
import type { BaselineVersionsPort } from '../../core/api/api-route.js';
import type { Clock } from '../../core/clock.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import { DriftwatchConfig } from '../../core/config/config-schema.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';

const SUB = '00000000-0000-0000-0000-000000000001';

/** The `api.keys` entries of {@link KEYS}, for tests that give their own api section. */
export function harnessKeys() {
  return [
    { name: 'admin', sha256: hashApiKey(KEYS.admin), read: ['*'], change: ['*'] },
    { name: 'prod-reader', sha256: hashApiKey(KEYS.prodReader), read: ['prod'] },
    { name: 'dev-admin', sha256: hashApiKey(KEYS.devAdmin), change: ['dev'] },
  ];
}

/** Keys the harness configures: admin of everything, reader of prod, admin of dev only. */
export const KEYS = {
  admin: createApiKey(),
  prodReader: createApiKey(),
  devAdmin: createApiKey(),
} as const;

export interface ApiHarness {
  url: string;
  store: DriftStore;
  api: MountedApi;
  /** A request through real HTTP; `key` is sent as a bearer token. */
  call(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers of every endpoint's shape
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * The API on the bot's real HTTP server (the host's `createBotServer`) over a memory store, with
 * three API keys and scopes prod, dev and staging configured.
 */
export async function startApiHarness(
  options: {
    clock?: Clock;
    scan?: ScanPort;
    config?: Record<string, unknown>;
    remediation?: Pick<
      Remediation,
      'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list'
    >;
    linkSecret?: string;
    render?: RenderPage;
    fetch?: typeof fetch;
    baselines?: BaselineVersionsPort;
    store?: DriftStore;
    log?: Logger;
  } = {},
): Promise<ApiHarness> {
  const store = options.store ?? (await openStore({ memory: true }));
  const clock = options.clock ?? { now: () => new Date() };
  const config = DriftwatchConfig.parse({
    scopes: {
      prod: { subscriptions: [SUB] },
      dev: { subscriptions: [SUB] },
      staging: { subscriptions: [SUB] },
    },
    api: {
      keys: harnessKeys(),
    },
    ...options.config,
  });
  const http = createBotServer({ log: options.log ?? pino({ level: 'silent' }) });
  const scan: ScanPort =
    options.scan ??
    (async () => {
      throw new Error('no scan port in this test');
    });
  const api = mountApi(
    {
      http,
      store,
      config,
      clock,
      scan,
      ...(options.log ? { log: options.log } : {}),
      ...(options.remediation ? { remediation: options.remediation as never } : {}),
    },
    {
      ...(options.linkSecret ? { linkSecret: options.linkSecret } : {}),
      ...(options.render ? { render: options.render } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.baselines ? { baselines: options.baselines } : {}),
    },
  );
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    store,
    api,
    async call(method, path, { key, body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined || rawBody !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(rawBody !== undefined ? { body: rawBody } : {}),
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return {
        status: response.status,
        body: type.includes('json') && text ? JSON.parse(text) : text,
        headers: response.headers,
      };
    },
    async close() {
      await api.close?.();
      await http.close();
      await store.close();
    },
  };
}
