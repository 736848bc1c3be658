import { CHAT_VERBS } from '../config/sections/chat-config.js';
import { describeValues } from '../report/format-value.js';
import type { ChatBlock, ChatMessage } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import type { CommandDeps } from './command-ports.js';
import { COMMAND_USAGE, DEFAULT_INVOCATION, usageLine } from './command-usage.js';
import { describeFinding, shortFindingId } from './describe-finding.js';
import { findFinding } from './find-finding.js';
import { followScanProgress } from './follow-scan-progress.js';
import { formatChatTime, formatCount } from './format-chat-time.js';
import { hasRemediationPolicy } from './has-remediation-policy.js';
import type { ChatCommand } from './parse-command.js';
import { knownScopes, resolveScope } from './resolve-scope.js';
import { summariseReport } from './summarise-report.js';
import { withoutAccepted } from './without-accepted.js';

type Of<V extends ChatCommand['verb']> = Extract<ChatCommand, { verb: V }>;
/** Lines of a finding's change list shown by `show`; the rest are counted. */
const SHOW_CHANGES = 30;

/** `help [verb]`: one usage line and one sentence per verb. */
export function runHelpVerb(command: Of<'help'>, invocation = DEFAULT_INVOCATION): ChatMessage {
  const verbs = command.topic ? [command.topic] : CHAT_VERBS;
  const lines = verbs.map(
    (v) => `${usageLine(v, invocation).replace('usage: ', '')} — ${COMMAND_USAGE[v].does}`,
  );
  return {
    visibility: 'ephemeral',
    text: 'driftwatch commands',
    header: command.topic ? `${invocation} ${command.topic}` : 'driftwatch commands',
    blocks: [{ kind: 'text', text: lines.join('\n') }],
  };
}

/**
 * `scan [scope]`: scans now through the scan port and summarises the report; with a progress
 * board, a long scan's progress is shown in the chat meanwhile.
 */
export async function runScanVerb(command: Of<'scan'>, deps: CommandDeps): Promise<ChatMessage> {
  const scope = await resolveScope(command.scope, deps.config, deps.store);
  const followed = deps.scanProgress
    ? followScanProgress(scope, deps.scanProgress, deps.clock)
    : undefined;
  let result: Awaited<ReturnType<CommandDeps['scan']>>;
  try {
    result = await deps.scan(scope, {
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(followed ? { onProgress: followed.onProgress } : {}),
    });
  } catch (error) {
    await followed?.finish({ failed: true });
    throw error;
  }
  await followed?.finish({
    resources: result.report.current.resources,
    ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
  });
  return summarise(deps, scope, result.report, result.reportId, result.durationMs);
}

/**
 * `status [scope] [--share]`: the latest stored report (no scan), less what was accepted since;
 * one line per scope without a scope. Only the asker sees it unless `--share` posts it.
 */
export async function runStatusVerb(
  command: Of<'status'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const visibility = command.share ? 'channel' : 'ephemeral';
  if (command.scope === undefined && (await knownScopes(deps.config, deps.store)).length > 1) {
    return { ...(await statusOfAll(deps)), visibility };
  }
  const scope = await resolveScope(command.scope, deps.config, deps.store);
  const stored = await latestReport(deps, scope);
  if (!stored) {
    return text(
      'ephemeral',
      `No scan of ${scope} yet. Run ${deps.invocation ?? DEFAULT_INVOCATION} scan ${scope}.`,
    );
  }
  return { ...(await summarise(deps, scope, stored.report, stored.ref.id)), visibility };
}

/** A scope's newest stored report as it reads now (findings accepted since are counted). */
async function latestReport(deps: CommandDeps, scope: string) {
  const [latest] = await deps.store.listReports({ scope, limit: 1 });
  const stored = latest ? await deps.store.getReport(latest.id) : undefined;
  if (!stored) return undefined;
  const report = withoutAccepted(stored.report, await deps.store.listAccepted(scope));
  return { ref: stored.ref, report };
}

/** `history [scope]`: the last ten stored reports, newest first. */
export async function runHistoryVerb(
  command: Of<'history'>,
  deps: CommandDeps,
): Promise<ChatMessage> {
  const scope = command.scope
    ? await resolveScope(command.scope, deps.config, deps.store)
    : undefined;
  const refs = await deps.store.listReports(scope ? { scope, limit: 10 } : { limit: 10 });
  const timezone = chatSettings(deps.config).timezone;
  const now = deps.clock.now();
  if (refs.length === 0) return text('ephemeral', `No scans${scope ? ` of ${scope}` : ''} yet.`);
  const lines = refs.map(
    (r) =>
      `${formatChatTime(new Date(r.generatedAt), { timezone, now, zoneName: true })} · ${r.scope} · ${formatCount(r.findings)} finding${r.findings === 1 ? '' : 's'}${r.maxSeverity ? ` (max ${r.maxSeverity})` : ''}${r.complete ? '' : ' · incomplete'} · report ${r.id.slice(0, 8)}`,
  );
  return {
    visibility: 'ephemeral',
    text: `Scan history${scope ? ` of ${scope}` : ''}`,
    header: `Scan history${scope ? ` · ${scope}` : ''}`,
    blocks: [{ kind: 'text', text: lines.join('\n') }],
  };
}

/** `show <finding>`: every change of a finding, before → after, with rule and attribution. */
export async function runShowVerb(command: Of<'show'>, deps: CommandDeps): Promise<ChatMessage> {
  const { finding, scope } = await findFinding(deps.store, command.finding, deps.invocation);
  const { summary } = describeFinding(finding);
  const facts = [
    { label: 'Scope', value: scope },
    { label: 'Resource', value: finding.resourceId },
    { label: 'Change', value: `${finding.change} · ${finding.severity} · rule ${finding.rule}` },
    ...(finding.attribution ? [{ label: 'Changed by', value: finding.attribution.summary }] : []),
    { label: 'Id', value: shortFindingId(finding) },
  ];
  const blocks: ChatBlock[] = [
    { kind: 'text', text: summary, tone: finding.severity },
    { kind: 'facts', facts },
  ];
  const changes = finding.changes
    .slice(0, SHOW_CHANGES)
    .map((c) => `${c.path}\n  ${describeValues(c, 300)}   (${c.severity}: ${c.why})`);
  if (finding.changes.length > SHOW_CHANGES) {
    changes.push(`… ${finding.changes.length - SHOW_CHANGES} more changes in the full report`);
  }
  if (changes.length > 0) blocks.push({ kind: 'code', text: changes.join('\n') });
  return {
    visibility: 'ephemeral',
    text: `${finding.resourceName}: ${summary}`,
    header: `${finding.resourceName} · ${finding.severity}`,
    tone: finding.severity,
    blocks,
  };
}

/** `devops`: the Azure DevOps inventory summary, or what to configure. */
export async function runDevopsVerb(deps: CommandDeps): Promise<ChatMessage> {
  if (!deps.devops) {
    return text(
      'ephemeral',
      'Azure DevOps is not configured: set devops.orgUrl in driftwatch.config.yaml and AZURE_DEVOPS_PAT.',
    );
  }
  const inventory = await deps.devops();
  const blocks: ChatBlock[] = [{ kind: 'facts', facts: inventory.facts }];
  if (inventory.notes?.length) blocks.push({ kind: 'context', lines: inventory.notes });
  return {
    visibility: 'ephemeral',
    text: `Azure DevOps inventory of ${inventory.organisation}`,
    header: `Azure DevOps · ${inventory.organisation}`,
    blocks,
  };
}

async function statusOfAll(deps: CommandDeps): Promise<ChatMessage> {
  const timezone = chatSettings(deps.config).timezone;
  const now = deps.clock.now();
  const lines: string[] = [];
  for (const scope of await knownScopes(deps.config, deps.store)) {
    const stored = await latestReport(deps, scope);
    if (!stored) {
      lines.push(`${scope}: not scanned yet`);
      continue;
    }
    const { findings, maxSeverity } = stored.report.summary;
    const { generatedAt, complete } = stored.ref;
    lines.push(
      `${scope}: ${formatCount(findings)} finding${findings === 1 ? '' : 's'}${maxSeverity ? ` (max ${maxSeverity})` : ''} · scanned ${formatChatTime(new Date(generatedAt), { timezone, now, zoneName: true })}${complete ? '' : ' · incomplete'}`,
    );
  }
  return {
    visibility: 'ephemeral',
    text: 'Drift status',
    header: 'Drift status',
    blocks: [{ kind: 'text', text: lines.join('\n') }],
  };
}

function summarise(
  deps: CommandDeps,
  scope: string,
  report: Parameters<typeof summariseReport>[0]['report'],
  reportId: string,
  durationMs?: number,
): Promise<ChatMessage> {
  const chat = chatSettings(deps.config);
  return summariseReport({
    report,
    reportId,
    scope,
    store: deps.store,
    now: deps.clock.now(),
    timezone: chat.timezone,
    topFindings: chat.topFindings,
    ...(chat.reportUrl ? { reportUrl: chat.reportUrl } : {}),
    ...(deps.reportLink ? { reportLink: deps.reportLink } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(deps.newId ? { newId: deps.newId } : {}),
    ...(hasRemediationPolicy(deps.config, scope) ? { remediable: true } : {}),
  });
}

function text(visibility: ChatMessage['visibility'], line: string): ChatMessage {
  return { visibility, text: line, blocks: [{ kind: 'text', text: line }] };
}
