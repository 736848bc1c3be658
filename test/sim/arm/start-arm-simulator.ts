import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { ArmResource } from '../../../core/model/resource.js';
import { createSelfSignedCert } from './create-self-signed-cert.js';
import { handleArmRequest } from './handle-arm-request.js';
import { handleGraphRequest } from './handle-graph-request.js';
import { SimAuthority } from './sim-authority.js';
import {
  armError,
  type SimContext,
  type SimReply,
  type SimRequestRecord,
  SimUnknownRequest,
  writeReply,
} from './sim-context.js';
import { type SimChange, SimEstate } from './sim-estate.js';
import { SimFaults } from './sim-faults.js';
import {
  ARM_READS,
  ARM_WRITES,
  type BucketLimits,
  GRAPH_QUOTA,
  type GraphQuotaLimits,
  SimGraphQuota,
  SimTokenBucket,
} from './sim-rate-limits.js';

export interface ArmSimulatorOptions {
  resources?: ArmResource[];
  /** Api-versions per resource type (`Microsoft.Web/sites` → ['2023-12-01', …]). */
  apiVersions?: Record<string, string[]>;
  changes?: SimChange[];
  /** Defaults are ARM's and Resource Graph's real limits. */
  limits?: { armReads?: BucketLimits; armWrites?: BucketLimits; graph?: GraphQuotaLimits };
  tenantId?: string;
  /** Seed for the fault dice. */
  seed?: number;
  port?: number;
  /** How long `resourcechanges` keeps rows (Azure: 14 days, `CHANGE_RETENTION_MS`); default: all. */
  changeRetentionMs?: number;
  /** Milliseconds clock for the buckets (default `performance`-based wall time). */
  now?: () => number;
}

/** A running simulator: its URL, its CA, and controls for tests, the demo and benchmarks. */
export interface ArmSimulator {
  /** `https://127.0.0.1:<port>`: ARM, Resource Graph and the Entra authority all live here. */
  url: string;
  /** The self-signed certificate, to trust via `NODE_EXTRA_CA_CERTS` or an agent's `ca`. */
  caPem: string;
  tenantId: string;
  estate: SimEstate;
  faults: SimFaults;
  authority: SimAuthority;
  /** Every request answered, in order. */
  requests: SimRequestRecord[];
  /** Requests the simulator did not understand (tests assert this stays empty). */
  unexpected: string[];
  /** Denies reads under a scope (403 AuthorizationFailed naming `action`). */
  forbid(scope: string, action?: string): void;
  /** Lifts every `forbid`. */
  permitAll(): void;
  close(): Promise<void>;
}

/**
 * Starts the ARM + Resource Graph + Entra simulator on 127.0.0.1 over HTTPS with a certificate
 * generated now. The real SDK clients talk to it through their endpoint options.
 *
 * @example
 * const sim = await startArmSimulator({ resources });
 * const token = sim.authority.issue();
 */
export async function startArmSimulator(options: ArmSimulatorOptions = {}): Promise<ArmSimulator> {
  const { keyPem, certPem } = createSelfSignedCert();
  const start = Date.now() - performance.now();
  const now = options.now ?? (() => start + performance.now());
  const estate = new SimEstate();
  estate.now = now;
  estate.changeRetentionMs = options.changeRetentionMs;
  estate.put(...(options.resources ?? []));
  for (const [type, versions] of Object.entries(options.apiVersions ?? {}))
    estate.setApiVersions(type, versions);
  estate.changes = [...(options.changes ?? [])];
  const faults = new SimFaults(options.seed);
  const buckets = new Map<string, SimTokenBucket>();
  const quotas = new Map<string, SimGraphQuota>();
  const requests: SimRequestRecord[] = [];
  const unexpected: string[] = [];
  const sockets = new Set<Socket>();
  let url = '';
  const authority = new SimAuthority(() => url, now);
  const ctx: SimContext = {
    get url() {
      return url;
    },
    tenantId: options.tenantId ?? '11111111-2222-4333-8444-555555555555',
    estate,
    now,
    armReads: options.limits?.armReads ?? ARM_READS,
    armWrites: options.limits?.armWrites ?? ARM_WRITES,
    graphQuota: options.limits?.graph ?? GRAPH_QUOTA,
    bucket(key, limits) {
      const bucket = buckets.get(key) ?? new SimTokenBucket(limits, now);
      buckets.set(key, bucket);
      return bucket;
    },
    quota(principal) {
      const quota = quotas.get(principal) ?? new SimGraphQuota(ctx.graphQuota, now);
      quotas.set(principal, quota);
      return quota;
    },
    forbidden: [],
  };

  const server: Server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const requestId = randomUUID();
        const method = req.method ?? 'GET';
        const raw = req.url ?? '/';
        const record = (status: number, extra: Partial<SimRequestRecord> = {}) =>
          requests.push({ method, url: raw, status, ...extra });
        try {
          const parsed = new URL(`${url}${raw}`);
          // The SDK's getById sends `{host}//subscriptions/…` (its template is `/{resourceId}`); ARM folds the slashes.
          const path = parsed.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
          const text = Buffer.concat(chunks).toString('utf8');
          if (/\/oauth2\/|\/\.well-known\//.test(path)) {
            const form = method === 'POST' ? new URLSearchParams(text) : undefined;
            const reply = authority.handle(method, path, form);
            record(reply.status);
            return writeReply(res, reply, requestId);
          }
          const auth = authority.verify(req.headers.authorization);
          if ('status' in auth) {
            record(401);
            return writeReply(
              res,
              armError(401, auth.code, auth.message, {
                'www-authenticate': `Bearer authorization_uri="${url}/${ctx.tenantId}", error="invalid_token", error_description="${auth.message}"`,
              }),
              requestId,
            );
          }
          const fault = faults.pick(`${method} ${raw}`, text);
          const delay = faults.latencyMs();
          if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          if (fault) {
            record(fault.kind === 'status' ? fault.status : 0, {
              note: 'fault',
              principal: auth.principal,
            });
            if (fault.kind === 'drop') return req.socket.destroy();
            if (fault.kind === 'timeout') return; // never answer; the client's timeout fires
            if (fault.kind === 'malformed')
              return writeReply(res, { status: 200, text: '{"value": [ {"id": ' }, requestId);
            return writeReply(
              res,
              armError(
                fault.status,
                fault.code ?? 'ServiceUnavailable',
                'The service is temporarily unavailable (injected by the simulator).',
                fault.headers,
              ),
              requestId,
            );
          }
          let body: unknown;
          if (text) {
            try {
              body = JSON.parse(text);
            } catch {
              throw new SimUnknownRequest('request body is not JSON');
            }
          }
          const simReq = {
            method,
            url: parsed,
            path,
            body,
            headers: req.headers,
            principal: auth.principal,
          };
          const reply: SimReply = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i.test(path)
            ? handleGraphRequest(ctx, simReq)
            : handleArmRequest(ctx, simReq);
          record(reply.status, {
            principal: auth.principal,
            ...(reply.status === 429 ? { note: 'throttled' as const } : {}),
          });
          writeReply(res, reply, requestId);
        } catch (error) {
          // A simulator bug is as loud as a request it does not understand: recorded and answered.
          const known = error instanceof SimUnknownRequest;
          const what = `${method} ${raw}: ${known ? '' : 'simulator error: '}${(error as Error).message}`;
          unexpected.push(what);
          process.stderr.write(`arm simulator: request not understood: ${what}\n`);
          record(400, { note: 'unknown' });
          writeReply(
            res,
            armError(
              400,
              'SimulatorDoesNotUnderstand',
              `The ARM simulator does not understand ${what}`,
            ),
            requestId,
          );
        }
      })();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('simulator did not bind');
  url = `https://127.0.0.1:${address.port}`;
  return {
    url,
    caPem: certPem,
    tenantId: ctx.tenantId,
    estate,
    faults,
    authority,
    requests,
    unexpected,
    forbid(scope, action) {
      ctx.forbidden.push({
        scope: scope.toLowerCase().replace(/\/+$/, ''),
        ...(action ? { action } : {}),
      });
    },
    permitAll() {
      ctx.forbidden.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
