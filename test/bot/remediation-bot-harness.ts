import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import type { Clock } from '../../core/clock.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import {
  noScan,
  remediationConfigDocument,
  simRemediation,
} from '../remediate/remediation-harness.js';
import type { ArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { signSlackRequest } from '../sim/slack/sign-slack-request.js';
import type { SlackSimulator } from '../sim/slack/slack-simulator.js';

export const TOKEN = 'xoxb-sim-0000000000012';
export const SECRET = 'sim-signing-secret-remediation-0123456789';
export const CHANNEL = 'C0PROD';
/** The requester, two approvers (one through a user group) and someone who is not one. */
export const ADA = 'UADA';
export const BOB = 'UBOB';
export const CAROL = 'UCAROL';
export const EVE = 'UEVE';
export const APPROVER_GROUP = 'SAPPROVERS';

/** The scope's policy for Slack people: revert and accept, approvers Ada, Bob and a group. */
export function remediationBotConfig(
  arm: ArmSimulator,
  policy: Record<string, unknown> = {},
): DriftwatchConfig {
  return parseConfig(
    remediationConfigDocument(arm, {
      approvers: [`slack:${ADA}`, `slack:${BOB}`, `slack-group:${APPROVER_GROUP}`],
      strategies: ['revert', 'accept'],
      ...policy,
    }),
    'test config',
  );
}

/** A bot (the real Bolt app) on the Slack simulator, with the workflow wired to the ARM simulator. */
export async function startRemediationBot(input: {
  slack: SlackSimulator;
  arm: ArmSimulator;
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
}): Promise<{ bot: RunningBot; remediation: Remediation }> {
  const remediation = simRemediation(input.arm, input.store, input.config, input.clock);
  const bot = await startBot({
    env: readBotEnv({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: input.slack.apiUrl,
      PORT: '0',
    }),
    config: input.config,
    store: input.store,
    clock: input.clock,
    scan: noScan,
    log: createBotLogger({ level: 'silent' }),
    host: '127.0.0.1',
    processBeforeResponse: true,
    poster: { minIntervalMs: 0 },
    remediation,
  });
  return { bot, remediation };
}

/** POSTs a signed request as Slack does, with optional extra headers (X-Slack-Retry-Num). */
async function send(
  bot: RunningBot,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<number> {
  const body = new URLSearchParams(form).toString();
  const signed = signSlackRequest({
    secret: SECRET,
    body,
    timestamp: Math.floor(Date.now() / 1000),
  });
  const response = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed, ...headers },
    body,
  });
  await response.text();
  return response.status;
}

/** `/drift <text>` typed by `user`; the reply goes to `response_url:<responseId>`. */
export function slash(
  bot: RunningBot,
  slack: SlackSimulator,
  text: string,
  user: string,
  responseId: string,
): Promise<number> {
  return send(bot, {
    command: '/drift',
    text,
    team_id: 'T0SIM',
    channel_id: CHANNEL,
    user_id: user,
    user_name: user.toLowerCase(),
    response_url: slack.responseUrl(responseId),
    trigger_id: '1.2.3',
    api_app_id: 'A0SIM',
  });
}

/** A Slack button click (block_actions), on a channel message or on an ephemeral one. */
export function click(
  bot: RunningBot,
  slack: SlackSimulator,
  input: {
    actionId: string;
    value: string;
    user: string;
    responseId: string;
    /** The channel message clicked; absent for an ephemeral message. */
    message?: { ts: string; text: string; blocks: unknown[] };
    retryNum?: number;
  },
): Promise<number> {
  const payload = {
    type: 'block_actions',
    user: {
      id: input.user,
      username: input.user.toLowerCase(),
      name: input.user.toLowerCase(),
      team_id: 'T0SIM',
    },
    api_app_id: 'A0SIM',
    team: { id: 'T0SIM', domain: 'sim' },
    container: {
      type: 'message',
      message_ts: input.message?.ts ?? '1763715600.000001',
      channel_id: CHANNEL,
      is_ephemeral: input.message === undefined,
    },
    channel: { id: CHANNEL, name: 'prod-alerts' },
    ...(input.message ? { message: { type: 'message', ...input.message } } : {}),
    response_url: slack.responseUrl(input.responseId),
    trigger_id: '1.2.4',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'b',
        value: input.value,
        action_ts: '1',
      },
    ],
  };
  return send(
    bot,
    { payload: JSON.stringify(payload) },
    input.retryNum
      ? { 'x-slack-retry-num': String(input.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {},
  );
}

export interface SimButton {
  action_id: string;
  value: string;
  text: { text: string };
  style?: string;
  confirm?: {
    title: { text: string };
    text: { text: string };
    confirm: { text: string };
    deny: { text: string };
  };
}

/** The buttons of a Block Kit message, in order. */
export function buttonsOf(blocks: unknown): SimButton[] {
  return ((blocks as Array<{ type: string; elements?: SimButton[] }>) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);
}

/** All the text of a Block Kit message (sections, contexts, headers), one string. */
export function textOf(blocks: unknown): string {
  return ((blocks as Array<Record<string, unknown>>) ?? [])
    .map((b) => {
      if (b.type === 'section' || b.type === 'header') return (b.text as { text: string }).text;
      if (b.type === 'context')
        return (b.elements as Array<{ text: string }>).map((e) => e.text).join(' | ');
      return '';
    })
    .filter(Boolean)
    .join('\n');
}

/** Waits until `ok` holds (for bots in other processes); the in-process bots need no waiting. */
export type WaitFor = (what: string, ok: () => Promise<boolean>) => Promise<void>;

/**
 * Ada, through `bot`: `/drift status <scope>`, then *Remediate…* on the storage account
 * (`stweb`); the preview as Slack received it at `response_url:preview`.
 */
export async function openStoragePreview(
  bot: RunningBot,
  slack: SlackSimulator,
  scope: string,
  waitFor?: WaitFor,
): Promise<{
  text: string;
  blocks: unknown[];
  response_type?: string;
  replace_original?: boolean;
}> {
  await slash(bot, slack, `status ${scope}`, ADA, 'status');
  await waitFor?.('the summary', async () => slack.callsTo('response_url:status').length > 0);
  const summary = slack.callsTo('response_url:status').at(-1)?.args as { blocks: unknown[] };
  const blocks = summary.blocks as Array<{ type: string; text?: { text: string } }>;
  const at = blocks.findIndex((b) => b.type === 'section' && b.text?.text.includes('`stweb`'));
  const remediate = buttonsOf([blocks[at + 1]]).find((b) => b.action_id === 'drift_remediate');
  await click(bot, slack, {
    actionId: 'drift_remediate',
    value: remediate?.value ?? '',
    user: ADA,
    responseId: 'preview',
  });
  await waitFor?.('the preview', async () => slack.callsTo('response_url:preview').length > 0);
  return slack.callsTo('response_url:preview').at(-1)?.args as {
    text: string;
    blocks: unknown[];
    response_type?: string;
    replace_original?: boolean;
  };
}

/**
 * Ada, through `bot`: the storage account's preview ({@link openStoragePreview}), then
 * *Request approval*; the preview and the `ts` of the approval message posted in the channel.
 */
export async function requestStorageApproval(
  bot: RunningBot,
  slack: SlackSimulator,
  scope: string,
  waitFor?: WaitFor,
) {
  const preview = await openStoragePreview(bot, slack, scope, waitFor);
  const request = buttonsOf(preview.blocks).find((b) => b.action_id === 'drift_request_approval');
  await click(bot, slack, {
    actionId: 'drift_request_approval',
    value: request?.value ?? '',
    user: ADA,
    responseId: 'request',
  });
  await waitFor?.('the approval message', async () => slack.callsTo('chat.postMessage').length > 0);
  return { preview, ts: String(slack.callsTo('chat.postMessage').at(-1)?.response.ts) };
}

/**
 * Bob's *Approve* on the approval message as it was when he clicked (`message` read once, before
 * any update in place), delivered to `bot`; `retryNum` for a Slack retry. Every delivery of the
 * same click carries the same button value, as Slack's double clicks and retries do.
 */
export function bobApproves(
  bot: RunningBot,
  slack: SlackSimulator,
  approval: { ts: string; message: { text: string; blocks: unknown[] } },
  responseId: string,
  retryNum?: number,
): Promise<number> {
  const { ts, message } = approval;
  const approve = buttonsOf(message.blocks).find((b) => b.action_id === 'drift_approve_plan');
  return click(bot, slack, {
    actionId: 'drift_approve_plan',
    value: approve?.value ?? '',
    user: BOB,
    responseId,
    message: { ts, text: message.text, blocks: message.blocks },
    ...(retryNum ? { retryNum } : {}),
  });
}
