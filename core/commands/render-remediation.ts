import type { Strategy } from '../config/sections/remediation-config.js';
import type { RemediationPlan } from '../remediate/remediation-plan.js';
import type { ChatAction, ChatBlock, ChatInline, ChatMessage, ChatTone } from './chat-message.js';
import { plainText } from './chat-message.js';
import { formatChatTime } from './format-chat-time.js';

/** How a host names an identity (`slack:U…` → a mention; `cli:ada` → text). */
export type MentionOf = (identity: string) => ChatInline;

/** What the renderers need besides the plan. */
export interface RemediationView {
  now: Date;
  timezone: string;
  mention: MentionOf;
}

/** One request's text in a message: enough to check it, short enough for one block. */
const REQUEST_CHARS = 2400;
const MAX_REQUESTS = 5;

const TONE: Record<RemediationPlan['state'], ChatTone> = {
  pending: 'neutral',
  approved: 'neutral',
  applying: 'neutral',
  applied: 'ok',
  failed: 'error',
  rejected: 'neutral',
  expired: 'neutral',
  stale: 'error',
  cancelled: 'neutral',
};

/**
 * The preview only the requester sees: the strategies the scope allows (a button for each other
 * one), the plan as a dry run built it (resources, the exact requests with secrets left out) and
 * a *Request approval* button. Nothing is stored or sent until that button is clicked.
 *
 * @example
 * remediationPreview(plan, { allowed: ['revert', 'accept'], strategyIds: { accept: 'k2' }, requestId: 'k1' })
 */
export function remediationPreview(
  plan: RemediationPlan,
  options: {
    allowed: readonly Strategy[];
    /** Opaque ids of the other strategies' previews. */
    strategyIds: Partial<Record<Strategy, string>>;
    /** Opaque id of this preview, carried by *Request approval*. */
    requestId: string;
  },
): ChatMessage {
  const count = plan.findings.length;
  const others: ChatAction[] = options.allowed
    .filter((s) => s !== plan.strategy && options.strategyIds[s])
    .map((s) => ({
      kind: 'remediate-strategy',
      label: `Preview ${s} instead`,
      id: options.strategyIds[s] as string,
    }));
  return {
    visibility: 'ephemeral',
    text: `Preview: ${plan.strategy} ${count} finding${count === 1 ? '' : 's'} on ${plan.scope}`,
    header: `Remediation preview · ${plan.strategy} · ${plan.scope}`,
    blocks: [
      {
        kind: 'text',
        text: `Only you can see this; nothing has been stored or sent. Allowed on ${plan.scope}: ${options.allowed.join(', ')}.`,
      },
      ...planBody(plan),
      {
        kind: 'actions',
        actions: [
          {
            kind: 'request-approval',
            label: 'Request approval',
            id: options.requestId,
            style: 'primary',
          },
          ...others,
        ],
      },
    ],
  };
}

/**
 * The approval message in the channel, as the plan stands: who asked, the exact requests, the
 * decisions so far (N of M), then the apply result and the verification. Approve / Reject (each
 * behind a confirmation) while pending; Apply while approved (e.g. waiting for a change window).
 * Re-rendered and replaced in place on every change.
 */
export function approvalMessage(
  plan: RemediationPlan,
  view: RemediationView & { approvers: readonly string[] },
): ChatMessage {
  const when = (iso: string) =>
    formatChatTime(new Date(iso), { timezone: view.timezone, now: view.now, zoneName: true });
  const approvals = plan.decisions.filter((d) => d.verdict === 'approve').length;
  const count = plan.findings.length;
  const ask: ChatInline[] = [
    view.mention(plan.requester),
    ` asks to ${plan.strategy} ${count} finding${count === 1 ? '' : 's'} on ${plan.scope}`,
    plan.reason ? `: ${plan.reason}` : '.',
    ' Approvers: ',
    ...view.approvers.flatMap((a, i) => (i === 0 ? [view.mention(a)] : [', ', view.mention(a)])),
  ];
  const blocks: ChatBlock[] = [
    { kind: 'rich', parts: ask },
    {
      kind: 'facts',
      facts: [
        { label: 'Plan', value: plan.id },
        { label: 'State', value: plan.state.toUpperCase() },
        { label: 'Approvals', value: `${approvals} of ${plan.approvalsRequired}` },
        { label: 'Expires', value: when(plan.expiresAt) },
      ],
    },
    ...planBody(plan),
  ];
  for (const d of plan.decisions) {
    blocks.push({
      kind: 'rich',
      tone: d.verdict === 'approve' ? 'ok' : 'error',
      parts: [
        d.verdict === 'approve' ? 'Approved by ' : 'Rejected by ',
        view.mention(d.by),
        ` · ${when(d.at)}${d.reason ? ` · ${d.reason}` : ''}`,
      ],
    });
  }
  blocks.push(...outcomeBlocks(plan, when));
  const actions = actionsFor(plan);
  if (actions.length > 0) blocks.push({ kind: 'actions', actions });
  return {
    visibility: 'channel',
    text: `Remediation ${plan.id} (${plan.strategy}, ${plan.scope}): ${plan.state}, ${approvals} of ${plan.approvalsRequired} approvals — ${plainText(ask.slice(0, 2))}`,
    header: `Remediation request · ${plan.strategy} · ${plan.scope}`,
    tone: TONE[plan.state],
    blocks,
  };
}

function outcomeBlocks(plan: RemediationPlan, when: (iso: string) => string): ChatBlock[] {
  const last = plan.history.at(-1);
  const at = last ? ` · ${when(last.at)}` : '';
  switch (plan.state) {
    case 'pending':
    case 'rejected':
      return [];
    case 'approved':
      return [{ kind: 'text', text: `Approved; not applied yet${at}.` }];
    case 'applying':
      return [{ kind: 'text', text: `Applying${at}…` }];
    case 'applied': {
      const lines = [`Applied${at}${plan.outcome ? `: ${plan.outcome}` : ''}.`];
      const v = plan.verification;
      const drifted = v ? v.remaining.length + v.unreadable.length > 0 : false;
      if (v) {
        const names = plan.resources.map((r) => r.resourceId.split('/').at(-1)).join(', ');
        lines.push(
          drifted
            ? `Verified · ${when(v.at)}: drift remains on ${[
                ...v.remaining.map((r) => `${r.resourceId} (${r.paths.join(', ')})`),
                ...v.unreadable.map((id) => `${id} (unreadable)`),
              ].join('; ')}.`
            : `Verified · ${when(v.at)}: re-read ${names}; no drift remains on the planned paths.`,
        );
      }
      return [{ kind: 'text', tone: drifted ? 'error' : 'ok', text: lines.join('\n') }];
    }
    case 'stale':
      return [
        {
          kind: 'text',
          tone: 'error',
          // The outcome says what was (not) sent: a plan of several writes can go stale after
          // its first ones landed, so "nothing was written" is not this message's to claim.
          text: `Stale${at}: ${plan.outcome ?? 'the resources changed since the plan; nothing was written'}. To plan again, click Remediate… on a fresh summary.`,
        },
      ];
    default:
      return [
        {
          kind: 'text',
          tone: plan.state === 'failed' ? 'error' : 'neutral',
          text: `${plan.state[0]?.toUpperCase()}${plan.state.slice(1)}${at}${plan.outcome ? `: ${plan.outcome}` : ''}.`,
        },
      ];
  }
}

function actionsFor(plan: RemediationPlan): ChatAction[] {
  const what = `${plan.strategy} on ${plan.scope} (plan ${plan.id})`;
  if (plan.state === 'pending')
    return [
      {
        kind: 'approve-plan',
        label: 'Approve',
        id: plan.id,
        style: 'primary',
        confirm: {
          title: 'Approve this remediation?',
          text: `Approve ${what}? Once enough approvers agree it is applied to Azure.`,
          confirm: 'Approve',
          deny: 'Cancel',
        },
      },
      {
        kind: 'reject-plan',
        label: 'Reject',
        id: plan.id,
        style: 'danger',
        confirm: {
          title: 'Reject this remediation?',
          text: `Reject ${what}? One rejection ends the request.`,
          confirm: 'Reject',
          deny: 'Cancel',
        },
      },
    ];
  if (plan.state === 'approved')
    return [
      {
        kind: 'apply-plan',
        label: 'Apply',
        id: plan.id,
        style: 'primary',
        confirm: {
          title: 'Apply this remediation?',
          text: `Apply ${what} now?`,
          confirm: 'Apply',
          deny: 'Cancel',
        },
      },
    ];
  return [];
}

/** The resources, and the exact requests (or the pipeline run, or the baseline change). */
function planBody(plan: RemediationPlan): ChatBlock[] {
  const blocks: ChatBlock[] = [
    {
      kind: 'context',
      lines: plan.resources.map(
        (r) =>
          `${r.change} ${r.resourceId.split('/').at(-1)}: ${r.paths.join(', ') || '(whole resource)'}`,
      ),
    },
  ];
  if (plan.strategy === 'accept') {
    blocks.push({
      kind: 'text',
      text: 'Nothing is sent to Azure: the current values of these paths become the new baseline.',
    });
    return blocks;
  }
  if (plan.pipeline) {
    const p = plan.pipeline;
    blocks.push({
      kind: 'text',
      text: `Queues pipeline ${p.pipelineName} (#${p.pipelineId}) in ${p.project}${p.branch ? ` on ${p.branch}` : ''} — ${p.why}`,
    });
  }
  for (const request of plan.requests.slice(0, MAX_REQUESTS)) {
    const head = `${request.method} ${request.url}${request.ifMatch ? `\nIf-Match: ${request.ifMatch}` : ''}`;
    const body = JSON.stringify(request.body, null, 2);
    const text = `${head}\n${body}`;
    blocks.push({
      kind: 'code',
      text:
        text.length <= REQUEST_CHARS
          ? text
          : `${text.slice(0, REQUEST_CHARS)}\n… (cut; driftwatch remediate show ${plan.id} prints it whole)`,
    });
    if (request.omitted.length > 0)
      blocks.push({ kind: 'context', lines: [`left out: ${request.omitted.join(', ')}`] });
  }
  if (plan.requests.length > MAX_REQUESTS)
    blocks.push({
      kind: 'context',
      lines: [
        `${plan.requests.length - MAX_REQUESTS} more requests: driftwatch remediate show ${plan.id}`,
      ],
    });
  return blocks;
}
