import type { webApi } from '@slack/bolt';

/**
 * WebClient options for every Slack call: a short explicit retry policy for network errors and
 * 5xx (the default retries for about 30 minutes, longer than any chat reply is useful), and
 * 429s surfaced to {@link SlackPoster}, which waits Retry-After and paces per channel.
 */
export function slackClientOptions(
  options: { slackApiUrl?: string } = {},
): webApi.WebClientOptions {
  return {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: true },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}
