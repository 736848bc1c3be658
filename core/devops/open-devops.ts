import { createHash } from 'node:crypto';
import { systemClock } from '../clock.js';
import { createDevOpsApi, type DevOpsApi } from './devops-api.js';
import {
  type DevOpsAuth,
  type DevOpsConnection,
  type DevOpsConnectionOptions,
  openDevOpsConnection,
} from './devops-client.js';
import { createDevOpsLimiter, type DevOpsLimiter } from './devops-limiter.js';

/** Everything {@link openDevOps} needs; only `orgUrl` and `auth` are required. */
export interface OpenDevOpsOptions extends Omit<DevOpsConnectionOptions, 'limiter'> {
  requestsPerMinute?: number;
  /** Shares the request budget through Redis with every process using the same identity. */
  redisUrl?: string;
  /** Cluster key; defaults to one derived from the org URL and the identity (never the secret). */
  limiterId?: string;
  /** Use an existing limiter (several connections in one process sharing one budget). */
  limiter?: DevOpsLimiter;
  maxConcurrent?: number;
}

/** An open, rate-limited Azure DevOps session. `close()` stops the limiter it created. */
export interface DevOpsSession {
  api: DevOpsApi;
  connection: DevOpsConnection;
  limiter: DevOpsLimiter;
  /**
   * Verifies the credential with the service in this session (`_apis/connectionData`) and
   * returns a hash naming who signed in — and, for a PAT, which token (its scopes are its own).
   * Never the secret itself. Rejects when the credential is refused.
   */
  verifiedIdentity(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens an Azure DevOps session: limiter (clustered through Redis when `redisUrl` is set),
 * governed SDK connection and the narrow adapter.
 *
 * @example
 * const session = openDevOps({ orgUrl, auth: { kind: 'pat', token }, redisUrl: env.REDIS_URL });
 * try { console.log(await session.api.listProjects()); } finally { await session.close(); }
 */
export function openDevOps(options: OpenDevOpsOptions): DevOpsSession {
  const owned = !options.limiter;
  const limiter =
    options.limiter ??
    createDevOpsLimiter({
      id: options.limiterId ?? devOpsLimiterId(options.orgUrl, options.auth),
      ...(options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : {}),
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...(options.maxConcurrent ? { maxConcurrent: options.maxConcurrent } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  const connection = openDevOpsConnection({
    ...options,
    limiter,
    clock: options.clock ?? systemClock,
  });
  const api = createDevOpsApi(connection);
  return {
    api,
    connection,
    limiter,
    verifiedIdentity: async () => identityHash((await api.checkConnection()).id, options.auth),
    close: async () => {
      if (owned) await limiter.stop();
    },
  };
}

/**
 * The limiter's cluster id: Azure DevOps budgets per identity, so every process signed in as the
 * same identity to the same organization must share one id. The PAT enters only as a hash.
 */
export function devOpsLimiterId(orgUrl: string, auth: DevOpsAuth, identity?: string): string {
  const who =
    identity ??
    (auth.kind === 'pat'
      ? `pat:${createHash('sha256').update(auth.token).digest('hex').slice(0, 16)}`
      : // Job tokens change every run; all pipeline jobs of the organization share one budget.
        auth.kind);
  const org = orgUrl.replace(/\/+$/, '').toLowerCase();
  return `driftwatch:devops:${createHash('sha256').update(`${org}|${who}`).digest('hex').slice(0, 24)}`;
}

/** A hash of the signed-in user's id plus, for a PAT, the token's hash (never the token). */
export function identityHash(userId: string, auth: DevOpsAuth): string {
  const credential =
    auth.kind === 'pat'
      ? `pat:${createHash('sha256').update(auth.token).digest('hex')}`
      : auth.kind;
  return createHash('sha256').update(`${userId}|${credential}`).digest('hex').slice(0, 32);
}
