import type { types } from '@slack/bolt';
import type {
  ChatAction,
  ChatBlock,
  ChatFinding,
  ChatMessage,
} from '../../core/commands/chat-message.js';
import { SLACK_LIMITS as L, truncate } from './slack-limits.js';
import { code, richToMrkdwn, toFallback, toMrkdwn, toneEmoji, toPlain } from './slack-mrkdwn.js';

export type SlackBlock = types.KnownBlock;
/** What chat.postMessage / chat.update / respond take. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}
/** The main message and the thread replies under it. */
export interface SlackMessages {
  main: SlackPayload;
  thread: SlackPayload[];
}

/** Buttons' action ids: `drift_show_diff`, `drift_accept`, `drift_ignore_7d`, `drift_remediate`. */
export function actionIdFor(kind: ChatAction['kind']): string {
  return `drift_${kind.replace(/-/g, '_')}`;
}

/** Sections per thread reply (each up to 3,000 characters), and thread replies at most. */
const THREAD_SECTIONS = 10;
const MAX_THREAD_MESSAGES = 10;
const FALLBACK_TEXT = 3000;

/**
 * The one Block Kit builder. Renders the neutral message and enforces Slack's limits: at most 50
 * blocks (the rest continue in the thread), section text 3,000, header 150, button text 75 and
 * value 2,000, 10 context elements; long lists are packed into few sections and threads are
 * capped with a pointer to the full report. Any message, even 1,000 findings, comes out valid.
 * All text is data: escaped and sanitised, never read for mentions; only `rich` blocks' mention
 * elements become mentions.
 *
 * @example
 * const { main, thread } = buildSlackMessages(message);
 */
export function buildSlackMessages(message: ChatMessage): SlackMessages {
  const main: SlackBlock[] = [];
  if (message.header) {
    const emoji = toneEmoji(message.tone);
    main.push({
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(toPlain(`${emoji ? `${emoji} ` : ''}${message.header}`), L.headerText),
        emoji: true,
      },
    });
  }
  main.push(...renderBlocks(message.blocks));
  const threadUnits = renderBlocks(message.thread ?? [], { pack: true });
  if (message.reportUrl) appendLink(main, `<${message.reportUrl}|View full report ↗>`);

  if (main.length > L.blocksPerMessage) {
    const kept = main.slice(0, L.blocksPerMessage - 1);
    threadUnits.unshift(...main.slice(L.blocksPerMessage - 1));
    main.length = 0;
    main.push(...kept, context(['continued in the thread']));
  }
  const text = truncate(toFallback(message.text), FALLBACK_TEXT);
  return {
    main: { text, blocks: main },
    thread: chunkThread(threadUnits, text, message.reportUrl),
  };
}

function renderBlocks(
  blocks: readonly ChatBlock[],
  options: { pack?: boolean } = {},
): SlackBlock[] {
  const out: SlackBlock[] = [];
  let lines: string[] = [];
  const flush = () => {
    out.push(...splitText(lines.join('\n'), L.sectionText).map(section));
    lines = [];
  };
  for (const block of blocks) {
    if (options.pack && block.kind === 'finding' && block.finding.actions.length === 0) {
      lines.push(findingText(block.finding, ' · '));
      continue;
    }
    if (lines.length > 0) flush();
    out.push(...renderBlock(block));
  }
  if (lines.length > 0) flush();
  return out;
}

function renderBlock(block: ChatBlock): SlackBlock[] {
  switch (block.kind) {
    case 'text':
    case 'rich': {
      const emoji = toneEmoji(block.tone);
      const body = block.kind === 'text' ? toMrkdwn(block.text) : richToMrkdwn(block.parts);
      return splitText(`${emoji ? `${emoji} ` : ''}${body}`, L.sectionText).map(section);
    }
    case 'facts':
      return splitText(
        block.facts.map((f) => `*${toMrkdwn(f.label)}:* ${toMrkdwn(f.value)}`).join(' · '),
        L.sectionText,
      ).map(section);
    case 'finding': {
      const out: SlackBlock[] = [
        section(truncate(findingText(block.finding, '\n'), L.sectionText)),
      ];
      const buttons = block.finding.actions.slice(0, L.actionsElements).flatMap(button);
      if (buttons.length > 0) out.push({ type: 'actions', elements: buttons });
      return out;
    }
    case 'code':
      return splitText(toMrkdwn(block.text).replace(/```/g, "'''"), L.sectionText - 8).map(
        (chunk) => section(`\`\`\`${chunk}\`\`\``),
      );
    case 'context':
      return block.lines.length > 0 ? [context(block.lines.map(toMrkdwn))] : [];
    case 'actions': {
      const buttons = block.actions.slice(0, L.actionsElements).flatMap(button);
      return buttons.length > 0 ? [{ type: 'actions', elements: buttons }] : [];
    }
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function findingText(finding: ChatFinding, detailSeparator: string): string {
  const head = `${toneEmoji(finding.severity)} *${finding.severity.toUpperCase()}* ${code(finding.resource)} ${toMrkdwn(finding.summary)}`;
  if (finding.details.length === 0) return head;
  return `${head}${detailSeparator}${finding.details.map(toMrkdwn).join(' · ')}`;
}

function button(action: ChatAction): types.Button[] {
  // Ids are short store keys; a value over the limit would mean data leaked into it: drop it.
  if (action.id.length > L.buttonValue) return [];
  return [
    {
      type: 'button',
      action_id: actionIdFor(action.kind),
      text: {
        type: 'plain_text',
        text: truncate(toPlain(action.label), L.buttonText),
        emoji: true,
      },
      value: action.id,
      ...(action.style ? { style: action.style } : {}),
      ...(action.confirm
        ? {
            confirm: {
              title: plain(action.confirm.title, L.confirmTitle),
              text: plain(action.confirm.text, L.confirmText),
              confirm: plain(action.confirm.confirm, L.confirmButton),
              deny: plain(action.confirm.deny, L.confirmButton),
              ...(action.style === 'danger' ? { style: 'danger' as const } : {}),
            },
          }
        : {}),
    },
  ];
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(toPlain(text), max), emoji: true };
}

/** Adds the link to a trailing context block when it has room (one line, as in the UX sketch). */
function appendLink(blocks: SlackBlock[], link: string): void {
  const last = blocks[blocks.length - 1];
  if (last?.type === 'context' && last.elements.length < L.contextElements) {
    last.elements.push({ type: 'mrkdwn', text: link });
  } else {
    blocks.push(context([link]));
  }
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(lines: string[]): SlackBlock {
  const head = lines.slice(0, L.contextElements - 1);
  const tail = lines.slice(L.contextElements - 1);
  const elements = tail.length > 0 ? [...head, tail.join(' · ')] : head;
  return {
    type: 'context',
    elements: elements.map((text) => ({
      type: 'mrkdwn' as const,
      text: truncate(text, L.contextText),
    })),
  };
}

/** Splits at line breaks into pieces of at most `max` characters; cuts lines longer than that. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    for (let i = 0; i < Math.max(line.length, 1); i += max) {
      const part = line.slice(i, i + max);
      if (current === '') current = part;
      else if (current.length + 1 + part.length <= max) current += `\n${part}`;
      else {
        pieces.push(current);
        current = part;
      }
    }
  }
  if (current !== '' || pieces.length === 0) pieces.push(current || ' ');
  return pieces;
}

function chunkThread(units: SlackBlock[], text: string, reportUrl?: string): SlackPayload[] {
  const messages: SlackPayload[] = [];
  for (let i = 0; i < units.length; i += THREAD_SECTIONS) {
    messages.push({ text, blocks: units.slice(i, i + THREAD_SECTIONS) });
  }
  if (messages.length <= MAX_THREAD_MESSAGES) return messages;
  const shown = messages.slice(0, MAX_THREAD_MESSAGES);
  const hidden = units.length - (MAX_THREAD_MESSAGES * THREAD_SECTIONS - 1);
  const last = shown[shown.length - 1] as SlackPayload;
  const more = `list cut here: ${hidden} more part${hidden === 1 ? '' : 's'} not posted`;
  last.blocks = [
    ...last.blocks.slice(0, THREAD_SECTIONS - 1),
    context([
      reportUrl
        ? `${more} · <${reportUrl}|View full report ↗>`
        : `${more} · run driftwatch report for the full list`,
    ]),
  ];
  return shown;
}
