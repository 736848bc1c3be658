import type { OutgoingHttpHeaders } from 'node:http';
import type { TokenCredential } from '@azure/identity';
import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import type {
  IRequestHandler,
  IRequestOptions,
} from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';
import { LocationsApi } from 'azure-devops-node-api/LocationsApi.js';
import { type Clock, systemClock } from '../clock.js';
import { abortableSleep, type Sleep } from '../resilience/abortable-sleep.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './decide-devops-retry.js';
import type { DevOpsLimiter } from './devops-limiter.js';
import {
  governHttpClient,
  type RawHttpClient,
  type RequestGateOptions,
} from './devops-request-gate.js';
import { emptyRequestStats, type RequestStats } from './request-stats.js';

/** How driftwatch signs in to Azure DevOps. */
export type DevOpsAuth =
  | { kind: 'pat'; token: string }
  /** Entra ID (service principal, workload identity, managed identity) through `@azure/identity`. */
  | { kind: 'entra'; credential: TokenCredential }
  /** A bearer token already held, e.g. a pipeline job's System.AccessToken. */
  | { kind: 'bearer'; token: string };

/** Azure DevOps' Entra application id; tokens are requested for `<id>/.default`. */
export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

/** Where and how to connect, and the gate every request passes. */
export interface DevOpsConnectionOptions {
  orgUrl: string;
  auth: DevOpsAuth;
  limiter: DevOpsLimiter;
  clock?: Clock;
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
  breaker?: { threshold?: number; cooldownMs?: number };
  signal?: AbortSignal;
  /** Extra request headers (the simulator's bench tags requests with a client name). */
  headers?: Record<string, string>;
}

/** The SDK entry point plus the per-run request accounting. */
export interface DevOpsConnection {
  orgUrl: string;
  webApi: WebApi;
  stats: RequestStats;
  breaker: CircuitBreaker;
  /** Routes an SDK API object (from `webApi.getGitApi()` …) through the same gate. */
  govern<T extends { http: unknown; rest: unknown }>(api: T): T;
}

/**
 * Opens a connection whose every HTTP request — location discovery included — goes through the
 * limiter, retries and circuit breaker (see {@link governHttpClient}). SDK retries are off: the
 * gate owns them.
 */
export function openDevOpsConnection(options: DevOpsConnectionOptions): DevOpsConnection {
  const clock = options.clock ?? systemClock;
  const stats = emptyRequestStats();
  const breaker = new CircuitBreaker({
    now: () => clock.now().getTime(),
    threshold: options.breaker?.threshold ?? 5,
    cooldownMs: options.breaker?.cooldownMs ?? 30_000,
  });
  const gate: RequestGateOptions = {
    limiter: options.limiter,
    breaker,
    stats,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    clock,
    sleep: options.sleep ?? abortableSleep,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.auth.kind === 'entra'
      ? { authorize: entraAuthorizer(options.auth.credential, clock, options.signal) }
      : {}),
  };
  const handler: IRequestHandler =
    options.auth.kind === 'pat'
      ? getPersonalAccessTokenHandler(options.auth.token, false)
      : options.auth.kind === 'bearer'
        ? getBearerHandler(options.auth.token, false)
        : noAuthHandler;
  const requestOptions: IRequestOptions = {
    allowRetries: false,
    socketTimeout: 60_000,
    ...(options.headers ? { headers: options.headers } : {}),
  };
  const orgUrl = options.orgUrl.replace(/\/+$/, '');
  const webApi = new GovernedWebApi(orgUrl, handler, requestOptions, gate);
  const govern = <T extends { http: unknown; rest: unknown }>(api: T): T => {
    governApi(api as never, gate);
    return api;
  };
  return { orgUrl, webApi, stats, breaker, govern };
}

/** Governs an SDK API object's two HTTP clients (`http`, and `rest`'s inner client). */
export function governApi(
  api: { http: unknown; rest: { client: unknown } },
  gate: RequestGateOptions,
): void {
  governHttpClient(api.http as RawHttpClient, gate);
  governHttpClient(api.rest.client as RawHttpClient, gate);
}

class GovernedWebApi extends WebApi {
  private readonly gate: RequestGateOptions;

  constructor(
    url: string,
    handler: IRequestHandler,
    options: IRequestOptions,
    gate: RequestGateOptions,
  ) {
    super(url, handler, options, { productName: 'driftwatch', productVersion: '0.1' });
    this.gate = gate;
    governHttpClient(this.rest.client as unknown as RawHttpClient, gate);
  }

  // The SDK's own location client turns typed-rest-client retries on; ours stays governed.
  override async getLocationsApi(
    serverUrl?: string,
    handlers?: IRequestHandler[],
  ): Promise<LocationsApi> {
    const api = new LocationsApi(
      serverUrl || this.serverUrl,
      handlers || [this.authHandler],
      this.options,
      this.userAgent,
    );
    governApi(api as never, this.gate);
    return api;
  }
}

const noAuthHandler: IRequestHandler = {
  prepareRequest: () => undefined,
  canHandleAuthentication: () => false,
  handleAuthentication: () => Promise.reject(new Error('not supported')),
};

/** Sets `Authorization: Bearer` from an Entra credential, refreshing 5 minutes before expiry. */
function entraAuthorizer(credential: TokenCredential, clock: Clock, signal?: AbortSignal) {
  let cached: { token: string; expiresAt: number } | undefined;
  return async (headers: OutgoingHttpHeaders): Promise<void> => {
    if (!cached || cached.expiresAt - 5 * 60_000 <= clock.now().getTime()) {
      const token = await credential.getToken(
        AZURE_DEVOPS_SCOPE,
        signal ? { abortSignal: signal } : {},
      );
      if (!token) throw new Error('the Entra credential returned no token for Azure DevOps');
      cached = { token: token.token, expiresAt: token.expiresOnTimestamp };
    }
    headers.authorization = `Bearer ${cached.token}`;
  };
}
