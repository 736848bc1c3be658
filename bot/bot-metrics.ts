import { Counter, Gauge, Registry } from 'prom-client';

/** The bot's Prometheus metrics, on their own registry (no global state between tests). */
export function createBotMetrics() {
  const registry = new Registry();
  const metrics = {
    registry,
    commands: new Counter({
      name: 'driftwatch_chat_commands_total',
      help: 'Chat commands and button actions, by verb and outcome (ok, usage, denied, failed).',
      labelNames: ['verb', 'outcome'] as const,
      registers: [registry],
    }),
    scans: new Counter({
      name: 'driftwatch_scans_total',
      help: 'Scans run by the bot, by scope and outcome.',
      labelNames: ['scope', 'outcome'] as const,
      registers: [registry],
    }),
    findings: new Gauge({
      name: 'driftwatch_findings',
      help: 'Findings in the latest scan of a scope, by severity.',
      labelNames: ['scope', 'severity'] as const,
      registers: [registry],
    }),
    azureRequests: new Counter({
      name: 'driftwatch_azure_requests_total',
      help: 'Azure requests sent by scans (retries included), by outcome (sent, failed, throttled).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: 'driftwatch_slack_api_calls_total',
      help: 'Slack Web API calls, by method and outcome (ok, rate-limited, error).',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    throttleWait: new Counter({
      name: 'driftwatch_throttle_wait_seconds_total',
      help: 'Seconds spent waiting to stay inside rate limits: Slack pacing, Slack 429 Retry-After, Azure pacing.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    summaries: new Counter({
      name: 'driftwatch_scheduled_summaries_total',
      help: 'Scheduled summary ticks, by outcome (changed, all-clear, unchanged, gone, failed).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
  return metrics;
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;
