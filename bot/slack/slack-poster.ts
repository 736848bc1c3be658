import type { webApi } from '@slack/bolt';
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
  private readonly interval: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly options: SlackPosterOptions;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly lastAt = new Map<string, number>();

  constructor(options: SlackPosterOptions) {
    this.options = options;
    this.client = options.client;
    this.interval = options.minIntervalMs ?? 1000;
    this.retries = options.maxRateLimitRetries ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.now = options.now ?? Date.now;
  }

  /** Posts a message (in a thread when `threadTs` is given) and returns its ts. */
  post(channel: string, payload: SlackPayload, threadTs?: string): Promise<string> {
    return this.inOrder(channel, 'chat.postMessage', async () => {
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
    return this.inOrder(channel, 'chat.update', async () => {
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

  private inOrder<T>(channel: string, method: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(channel) ?? Promise.resolve();
    const run = previous.then(() => this.paced(channel, method, work));
    this.chains.set(
      channel,
      run.catch(() => undefined),
    );
    return run;
  }

  private async paced<T>(channel: string, method: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const last = this.lastAt.get(channel);
      const wait = last === undefined ? 0 : last + this.interval - this.now();
      if (wait > 0) {
        this.options.onWait?.(wait, 'pace');
        await this.sleep(wait);
      }
      try {
        const result = await work();
        this.lastAt.set(channel, this.now());
        this.options.onCall?.(method, 'ok');
        return result;
      } catch (error) {
        const retryAfter = rateLimitedFor(error);
        if (retryAfter === undefined) {
          this.options.onCall?.(method, 'error');
          throw error;
        }
        this.options.onCall?.(method, 'rate-limited');
        if (attempt >= this.retries) throw error;
        const ms = retryAfter * 1000;
        this.options.onWait?.(ms, 'retry-after');
        await this.sleep(ms);
        this.lastAt.set(channel, this.now());
      }
    }
  }
}

function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number };
  return e?.code === RATE_LIMITED && typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
}
