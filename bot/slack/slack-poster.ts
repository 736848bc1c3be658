import type { webApi } from '@slack/bolt';
import { PacedQueue } from '../../core/resilience/paced-queue.js';
import type { SlackMessages, SlackPayload } from './build-blocks.js';

export interface SlackPosterOptions {
  client: webApi.WebClient;
  /** Slack allows about one message per second per channel (docs.slack.dev rate limits). */
  minIntervalMs?: number;
  /** 429 retries per call before giving up. */
  maxRateLimitRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called for every wait: pacing (`pace`) or a 429's Retry-After (`retry-after`). */
  onWait?: (ms: number, reason: 'pace' | 'retry-after') => void;
  /** Called after every Web API call. */
  onCall?: (method: string, outcome: 'ok' | 'rate-limited' | 'error') => void;
}

const RATE_LIMITED = 'slack_webapi_rate_limited_error';

/**
 * Posts to Slack one message at a time per channel, at most one per `minIntervalMs`, and honours
 * 429 Retry-After (the WebClient is built with `rejectRateLimitedCalls`, so the wait happens here,
 * is measured, and does not stall other channels).
 */
export class SlackPoster {
  private readonly client: webApi.WebClient;
  private readonly queue: PacedQueue;

  constructor(options: SlackPosterOptions) {
    this.client = options.client;
    const retries = options.maxRateLimitRetries ?? 3;
    this.queue = new PacedQueue({
      minIntervalMs: options.minIntervalMs ?? 1000,
      sleep: options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
      now: options.now ?? Date.now,
      // Only a 429 is retried, after its Retry-After; anything else is thrown at once.
      retry: (error, attempt) => {
        const seconds = rateLimitedFor(error);
        if (seconds === undefined || attempt >= retries) return undefined;
        return { ms: seconds * 1000, reason: 'retry-after' };
      },
      onWait: (ms, reason) => {
        // This strategy never backs off without a Retry-After.
        if (reason !== 'backoff') options.onWait?.(ms, reason);
      },
      onCall: (method, outcome, error) => options.onCall?.(method, callOutcome(outcome, error)),
    });
  }

  /** Posts a message (in a thread when `threadTs` is given) and returns its ts. */
  post(channel: string, payload: SlackPayload, threadTs?: string): Promise<string> {
    return this.queue.run(channel, 'chat.postMessage', async () => {
      const result = await this.client.chat.postMessage({
        channel,
        text: payload.text,
        blocks: payload.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return String(result.ts);
    });
  }

  /** Replaces a posted message in place. */
  update(channel: string, ts: string, payload: SlackPayload): Promise<void> {
    return this.queue.run(channel, 'chat.update', async () => {
      await this.client.chat.update({ channel, ts, text: payload.text, blocks: payload.blocks });
    });
  }

  /** Posts the main message, then its thread replies under it. */
  async postWithThread(
    channel: string,
    messages: SlackMessages,
  ): Promise<{ ts: string; replies: string[] }> {
    const ts = await this.post(channel, messages.main);
    const replies: string[] = [];
    for (const reply of messages.thread) replies.push(await this.post(channel, reply, ts));
    return { ts, replies };
  }
}

/** A refused call counts as `rate-limited` whenever Slack said 429, retried or not. */
function callOutcome(
  outcome: 'ok' | 'retried' | 'error',
  error: unknown,
): 'ok' | 'rate-limited' | 'error' {
  if (outcome === 'ok') return 'ok';
  return rateLimitedFor(error) === undefined ? 'error' : 'rate-limited';
}

function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number };
  return e?.code === RATE_LIMITED && typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
}
