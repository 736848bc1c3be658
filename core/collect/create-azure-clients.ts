import { ResourceManagementClient } from '@azure/arm-resources';
import { ServiceClient } from '@azure/core-client';
import type { HttpClient, PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { AzureEndpoints } from './azure-clouds.js';
import { attemptPolicy, breakerPolicy, readRetryAfterMs } from './collect-policies.js';
import { type CollectStats, emptyStats } from './collect-stats.js';
import { GraphQuotaPacer } from './graph-quota-pacer.js';
import { type PacerClock, systemPacerClock } from './pacer-clock.js';
import type { SharedBudget } from './shared-budget.js';
import { ARM_READ_BUCKET, type BucketShape, TokenBucketPacer } from './token-bucket-pacer.js';
import { trackPacedTime } from './track-paced-time.js';

/** Knobs with production defaults; tests shrink delays and limits. */
export interface CollectTuning {
  /** Requests in flight per subscription. */
  concurrency: number;
  timeoutMs: number;
  /** The SDK retry policy's settings (exponential with jitter; 429s wait Retry-After). */
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  armReads: BucketShape;
  /** Consecutive failed requests (after the SDK's retries) that pause an endpoint, and for how long. */
  breaker: { threshold: number; cooldownMs: number };
  /** How long resolved api-versions stay cached in the store. */
  apiVersionTtlMs: number;
  /** Resource Graph rows per page (`$top`, at most 1,000). */
  graphPageSize: number;
  /**
   * How long after the run starts a throttled read (429) is still waited out and sent again,
   * however often; after it, 429s count against `maxRetries` like other failures.
   */
  deadlineMs: number;
}

/** Production defaults: ARM's documented read bucket, the SDK's retry count plus one, 60 s per attempt. */
export const DEFAULT_TUNING: CollectTuning = {
  concurrency: 16,
  timeoutMs: 60_000,
  maxRetries: 4,
  retryDelayInMs: 800,
  maxRetryDelayInMs: 30_000,
  armReads: ARM_READ_BUCKET,
  // Five failed requests in a row pause an endpoint for 30 s.
  breaker: { threshold: 5, cooldownMs: 30_000 },
  apiVersionTtlMs: 24 * 3_600_000,
  graphPageSize: 1000,
  deadlineMs: 30 * 60_000,
};

/** The SDK clients of one run, sharing pacers, breakers and counters. */
export interface AzureClients {
  /** An `@azure/arm-resources` client for one subscription (cached). */
  arm(subscriptionId: string): ResourceManagementClient;
  /** A core-client ServiceClient for Resource Graph's REST API (same pipeline features). */
  graph: ServiceClient;
  endpoints: AzureEndpoints;
  stats: CollectStats;
  tuning: CollectTuning;
}

const SUBSCRIPTION_IN_PATH = /\/subscriptions\/([^/?]+)/i;
/** The smaller of the per-principal and global remaining reads, when the response says. */
function remainingReads(response: PipelineResponse | undefined): number | undefined {
  const values = [
    'x-ms-ratelimit-remaining-subscription-reads',
    'x-ms-ratelimit-remaining-subscription-global-reads',
  ]
    .map((name) => response?.headers.get(name))
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .filter(Number.isFinite);
  return values.length ? Math.min(...values) : undefined;
}

/**
 * Builds the ARM and Resource Graph clients with driftwatch's additions to the SDK pipeline: a
 * per-subscription token-bucket pacer that learns the refill from
 * `x-ms-ratelimit-remaining-subscription(-global)-reads`, the Resource Graph quota pacer, 429s
 * waited out until `deadlineMs`, per-attempt timeouts and per-endpoint circuit breakers. The
 * SDK's own retry policies (exponential backoff with jitter) stay in place for other failures.
 */
export function createAzureClients(options: {
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  tuning?: Partial<CollectTuning>;
  clock?: PacerClock;
  /**
   * A budget shared with other processes reading as the same principal (workers on Redis): each
   * attempt takes from it before this process' own pacer, so more workers never mean more reads.
   */
  sharedBudget?: SharedBudget;
}): AzureClients {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const clock = options.clock ?? systemPacerClock;
  const stats = emptyStats();
  // One breaker per host, so a failing Resource Graph does not pause ARM and the reverse.
  const breaker = new CircuitBreaker({ ...tuning.breaker, now: () => clock.now() });
  const armPacer = new TokenBucketPacer(tuning.armReads, clock);
  const graphPacer = new GraphQuotaPacer(clock);
  const paced = trackPacedTime(stats, () => clock.now());
  const deadline = clock.now() + tuning.deadlineMs;
  const keyOf = (url: string) =>
    (SUBSCRIPTION_IN_PATH.exec(new URL(url).pathname)?.[1] ?? '(tenant)').toLowerCase();

  const armAttempts: PipelinePolicy = attemptPolicy({
    name: 'driftwatchArmPacing',
    stats,
    timeoutMs: tuning.timeoutMs,
    clock,
    deadline,
    paced,
    async pace(request) {
      const key = keyOf(request.url);
      const signal = request.abortSignal as AbortSignal | undefined;
      const shared = options.sharedBudget ? await options.sharedBudget.take('arm', key, signal) : 0;
      const ticket = await armPacer.acquire(key, signal);
      return {
        waitedMs: shared + ticket.waitedMs,
        settle(response) {
          if (response?.status === 429) {
            ticket.settle();
            return armPacer.exhausted(key, readRetryAfterMs(response));
          }
          ticket.settle(remainingReads(response));
        },
      };
    },
  });
  const graphAttempts = attemptPolicy({
    name: 'driftwatchGraphQuota',
    stats,
    timeoutMs: tuning.timeoutMs,
    clock,
    deadline,
    paced,
    async pace(request) {
      const signal = request.abortSignal as AbortSignal | undefined;
      const shared = options.sharedBudget
        ? await options.sharedBudget.take('graph', 'user', signal)
        : 0;
      const waitedMs = shared + (await graphPacer.acquire(signal));
      return {
        waitedMs,
        settle(response) {
          if (!response) return;
          graphPacer.observe(
            response.headers.get('x-ms-user-quota-remaining'),
            response.headers.get('x-ms-user-quota-resets-after'),
          );
          if (response.status === 429) graphPacer.exhausted();
        },
      };
    },
  });
  const common = {
    credentialScopes: [`${options.endpoints.audience}/.default`],
    retryOptions: {
      maxRetries: tuning.maxRetries,
      retryDelayInMs: tuning.retryDelayInMs,
      maxRetryDelayInMs: tuning.maxRetryDelayInMs,
    },
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    userAgentOptions: { userAgentPrefix: 'driftwatch' },
  };
  const addPolicies = (client: ServiceClient, attempts: PipelinePolicy) => {
    client.pipeline.addPolicy(breakerPolicy({ stats, breaker }), { phase: 'Serialize' });
    client.pipeline.addPolicy(attempts, { afterPhase: 'Retry' });
  };

  const armClients = new Map<string, ResourceManagementClient>();
  const graph = new ServiceClient({
    ...common,
    credential: options.credential,
    endpoint: options.endpoints.resourceGraph,
  });
  addPolicies(graph, graphAttempts);
  return {
    endpoints: options.endpoints,
    stats,
    tuning,
    graph,
    arm(subscriptionId) {
      let client = armClients.get(subscriptionId);
      if (!client) {
        client = new ResourceManagementClient(options.credential, subscriptionId, {
          ...common,
          endpoint: options.endpoints.resourceManager,
          $host: options.endpoints.resourceManager,
        });
        addPolicies(client, armAttempts);
        armClients.set(subscriptionId, client);
      }
      return client;
    },
  };
}
