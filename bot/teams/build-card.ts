import type {
  ChatAction,
  ChatBlock,
  ChatMessage,
  ChatTone,
} from '../../core/commands/chat-message.js';
import { formatCount } from '../../core/commands/format-chat-time.js';
import {
  type AdaptiveCard,
  CARD_SCHEMA,
  type CardAction,
  type CardElement,
  type TextBlock,
} from './adaptive-card.js';
import { cardInline, cardPlain, truncateCard } from './card-markdown.js';
import {
  CardMentions,
  type CardOptions,
  COLOR,
  execute,
  MARK,
  renderBlock,
} from './render-card-block.js';
import { jsonBytes, TEAMS_LIMITS as L } from './teams-limits.js';

export type { CardOptions } from './render-card-block.js';

/** The main card and the reply cards under it (a channel thread, or follow-ups in a chat). */
export interface TeamsCards {
  /** Notification and fallback text (the activity's `summary`/`text`). */
  text: string;
  main: AdaptiveCard;
  replies: AdaptiveCard[];
}

/** Room kept for the closing note and the report link when the body is cut. */
const TAIL_RESERVE = 600;

/**
 * The one Adaptive Card builder. Renders the neutral message as Adaptive Card 1.5 and keeps every
 * card under Teams' size limit, measured on the serialized card: blocks are added while they fit,
 * and what does not fit is counted in a closing line with the full report behind its link (a
 * 1,000-finding drift shows its top findings and a pointer). Buttons become `Action.Execute` with
 * the action kind as verb and only the opaque id as data; confirmations open under their button.
 * All text is data, escaped for TextBlock markdown; mentions come only from `rich` blocks.
 *
 * @example
 * const { main, replies } = buildTeamsCards(message, { refresh: { cardId, userIds } });
 */
export function buildTeamsCards(message: ChatMessage, options: CardOptions = {}): TeamsCards {
  const text = truncateCard(cardPlain(message.text), 1000);
  const main = fitCard(message.header, message.tone, message.blocks, message, options);
  const replies: AdaptiveCard[] = [];
  let rest: readonly ChatBlock[] = message.thread ?? [];
  while (rest.length > 0) {
    if (replies.length === L.replyCards) {
      const last = replies[replies.length - 1] as AdaptiveCard;
      last.body.push(moreLine(countFindings(rest), rest.length, message.reportUrl));
      break;
    }
    const built = fitBlocks(rest, message, { ...options, refresh: undefined }, false);
    built.card.body.push(...built.tail);
    replies.push(built.card);
    rest = built.rest;
  }
  return { text, main, replies };
}

function fitCard(
  header: string | undefined,
  tone: ChatTone | undefined,
  blocks: readonly ChatBlock[],
  message: ChatMessage,
  options: CardOptions,
): AdaptiveCard {
  const built = fitBlocks(blocks, message, options, true, header, tone);
  if (built.rest.length > 0) {
    const thread = countFindings(message.thread ?? []);
    built.card.body.push(
      moreLine(countFindings(built.rest) + thread, built.rest.length, message.reportUrl),
    );
  }
  built.card.body.push(...built.tail);
  return built.card;
}

function fitBlocks(
  blocks: readonly ChatBlock[],
  message: ChatMessage,
  options: CardOptions,
  withHeader: boolean,
  header?: string,
  tone?: ChatTone,
): { card: AdaptiveCard; rest: readonly ChatBlock[]; tail: CardElement[] } {
  const mentions = new CardMentions(options.names ?? {});
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body: [],
    msteams: { width: 'Full' },
  };
  if (message.text) card.fallbackText = truncateCard(cardPlain(message.text), 300);
  const actions: CardAction[] = [];
  if (withHeader && options.back) {
    actions.push(execute('Back', 'refresh', { card: options.back.cardId }));
  }
  const hidden = options.live ? countHidden(message.blocks, options.live) : 0;
  if (withHeader && options.refresh && hidden > 0) {
    // For people Teams does not refresh for (not in userIds): ask for their own view.
    actions.push(execute('My buttons', 'refresh', { card: options.refresh.cardId }));
  }
  const url = safeUrl(message.reportUrl);
  if (url) actions.push({ type: 'Action.OpenUrl', title: 'View full report ↗', url });
  if (actions.length > 0) card.actions = actions;
  if (withHeader && options.refresh) {
    card.refresh = {
      action: execute('Refresh', 'refresh', { card: options.refresh.cardId }),
      userIds: [...options.refresh.userIds].slice(0, L.refreshUserIds),
    };
  }
  if (withHeader && header) {
    const mark = MARK[tone ?? 'neutral'];
    card.body.push({
      type: 'TextBlock',
      text: truncateCard(cardInline(`${mark ? `${mark} ` : ''}${header}`), 300),
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
      style: 'heading',
      ...(tone && COLOR[tone] !== 'default' ? { color: COLOR[tone] } : {}),
    });
  }
  // Message-level buttons (Approve / Reject on an approval card) come last but must never be
  // cut: their room is set aside first, and they follow whatever else fits.
  let reserve = blocks
    .filter((b) => b.kind === 'actions')
    .reduce((n, b) => n + sizeOf(renderBlock(b, options, new CardMentions({}))), 0);
  const budget = (options.maxBytes ?? L.cardBytes) - TAIL_RESERVE;
  const headed = card.body.length;
  let bytes = jsonBytes(card);
  let index = 0;
  for (; index < blocks.length; index += 1) {
    const block = blocks[index] as ChatBlock;
    const before = mentions.entities.length;
    const elements = renderBlock(block, options, mentions);
    const added =
      sizeOf(elements) + mentions.entities.slice(before).reduce((n, e) => n + jsonBytes(e) + 1, 0);
    if (block.kind === 'actions') {
      card.body.push(...elements);
      bytes += added;
      reserve -= sizeOf(elements);
      continue;
    }
    if (bytes + added > budget - reserve) {
      if (card.body.length > headed) {
        mentions.entities.length = before;
        break;
      }
      // The first block alone is too big (a very long text): show the part of it that fits.
      for (const element of elements) {
        const size = jsonBytes(element) + 1;
        if (bytes + size > budget - reserve) break;
        card.body.push(element);
        bytes += size;
      }
      bytes += mentions.entities.slice(before).reduce((n, e) => n + jsonBytes(e) + 1, 0);
      index += 1;
      break;
    }
    card.body.push(...elements);
    bytes += added;
  }
  const left = blocks.slice(index);
  const tail = left
    .filter((b) => b.kind === 'actions')
    .flatMap((b) => renderBlock(b, options, mentions));
  // Only entities whose text the card shows (a cut block may have taken its mention with it).
  const shown = JSON.stringify(card.body);
  const entities = mentions.entities.filter((e) => shown.includes(e.text));
  if (entities.length > 0) card.msteams = { width: 'Full', entities };
  return { card, rest: left.filter((b) => b.kind !== 'actions'), tail };
}

function sizeOf(elements: readonly CardElement[]): number {
  return elements.reduce((n, e) => n + jsonBytes(e) + 1, 0);
}

function moreLine(findings: number, blocks: number, reportUrl: string | undefined): TextBlock {
  const what =
    findings > 0
      ? `${formatCount(findings)} more finding${findings === 1 ? '' : 's'}`
      : `${formatCount(blocks)} more part${blocks === 1 ? '' : 's'}`;
  const where = safeUrl(reportUrl)
    ? 'the full report has them all'
    : 'driftwatch report lists them all';
  return {
    type: 'TextBlock',
    text: cardInline(`${what} not shown here: ${where}`),
    wrap: true,
    isSubtle: true,
    size: 'Small',
    separator: true,
  };
}

function countHidden(blocks: readonly ChatBlock[], live: (a: ChatAction) => boolean): number {
  const actions = blocks.flatMap((b) =>
    b.kind === 'finding' ? b.finding.actions : b.kind === 'actions' ? b.actions : [],
  );
  return actions.filter((a) => !live(a)).length;
}

function countFindings(blocks: readonly ChatBlock[]): number {
  return blocks.filter((b) => b.kind === 'finding').length;
}

/** Only http(s) links become buttons; anything else is left out. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
