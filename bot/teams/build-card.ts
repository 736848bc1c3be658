import type {
  ChatAction,
  ChatBlock,
  ChatFinding,
  ChatInline,
  ChatMessage,
  ChatTone,
} from '../../core/commands/chat-message.js';
import { formatCount } from '../../core/commands/format-chat-time.js';
import {
  type AdaptiveCard,
  CARD_SCHEMA,
  type CardAction,
  type CardColor,
  type CardElement,
  type ExecuteAction,
  type MentionEntity,
  type TextBlock,
} from './adaptive-card.js';
import { cardInline, cardPlain, cardText, truncateCard } from './card-markdown.js';
import { jsonBytes, TEAMS_LIMITS as L } from './teams-limits.js';

/** The main card and the reply cards under it (a channel thread, or follow-ups in a chat). */
export interface TeamsCards {
  /** Notification and fallback text (the activity's `summary`/`text`). */
  text: string;
  main: AdaptiveCard;
  replies: AdaptiveCard[];
}

export interface CardOptions {
  /** Which buttons this card shows; the others are left out (a read-only card). Default all. */
  live?: (action: ChatAction) => boolean;
  /**
   * Universal Actions refresh: the stored card's id, and the Teams user ids (MRIs, at most 60)
   * whose clients ask the bot for their own view (live buttons) when they see the card.
   */
  refresh?: { cardId: string; userIds: readonly string[] };
  /** A stored card this view stands in for (a diff shown to one user): adds *Back*. */
  back?: { cardId: string };
  /** Display names of the users the message mentions, by id (else the id is shown). */
  names?: Readonly<Record<string, string>>;
  /** The card budget in bytes; default {@link TEAMS_LIMITS.cardBytes}. */
  maxBytes?: number;
}

const COLOR: Record<ChatTone, CardColor> = {
  critical: 'attention',
  high: 'attention',
  medium: 'warning',
  low: 'accent',
  info: 'default',
  ok: 'good',
  error: 'attention',
  neutral: 'default',
};
/** A marker beside the colour, so severity does not depend on telling colours apart. */
const MARK: Record<ChatTone, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
  ok: '✅',
  error: '⚠️',
  neutral: '',
};
/** Entra object ids (GUIDs) and Teams user ids (`29:…`) can be mentioned; anything else is text. */
const MENTIONABLE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|29:[\w-]+)$/i;
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
  const mentions = new Mentions(options.names ?? {});
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
    .reduce((n, b) => n + sizeOf(renderBlock(b, options, new Mentions({}))), 0);
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

function renderBlock(block: ChatBlock, options: CardOptions, mentions: Mentions): CardElement[] {
  switch (block.kind) {
    case 'text':
      return lines(cardText(block.text), block.tone);
    case 'rich':
      return lines(
        block.parts.map((p) => (typeof p === 'string' ? cardText(p) : mentions.add(p))).join(''),
        block.tone,
      );
    case 'facts':
      return [
        {
          type: 'FactSet',
          facts: block.facts.map((f) => ({
            title: truncateCard(cardInline(f.label), 200),
            value: truncateCard(cardInline(f.value), 1000),
          })),
        },
      ];
    case 'finding':
      return [findingContainer(block.finding, options)];
    case 'code':
      return [
        {
          type: 'TextBlock',
          text: truncateCard(cardText(block.text), L.textChars),
          wrap: true,
          fontType: 'Monospace',
        },
      ];
    case 'context':
      return block.lines.length > 0
        ? [
            {
              type: 'TextBlock',
              text: truncateCard(block.lines.map(cardInline).join(' · '), L.textChars),
              wrap: true,
              isSubtle: true,
              size: 'Small',
            },
          ]
        : [];
    case 'actions': {
      const actions = buttons(block.actions, options);
      return actions.length > 0 ? [{ type: 'ActionSet', actions }] : [];
    }
    case 'divider':
      return [{ type: 'Container', items: [], separator: true }];
  }
}

function findingContainer(finding: ChatFinding, options: CardOptions): CardElement {
  const mark = MARK[finding.severity];
  const items: CardElement[] = [
    {
      type: 'TextBlock',
      text: truncateCard(
        cardInline(`${mark} ${finding.severity.toUpperCase()} · ${finding.resource}`),
        300,
      ),
      wrap: true,
      weight: 'Bolder',
      ...(COLOR[finding.severity] !== 'default' ? { color: COLOR[finding.severity] } : {}),
    },
    {
      type: 'TextBlock',
      text: truncateCard(cardInline(finding.summary), L.textChars),
      wrap: true,
      spacing: 'None',
    },
  ];
  if (finding.details.length > 0) {
    items.push({
      type: 'TextBlock',
      text: truncateCard(finding.details.map(cardInline).join(' · '), L.textChars),
      wrap: true,
      isSubtle: true,
      size: 'Small',
      spacing: 'None',
    });
  }
  const actions = buttons(finding.actions, options);
  if (actions.length > 0) items.push({ type: 'ActionSet', actions });
  return { type: 'Container', items, separator: true, spacing: 'Medium' };
}

function buttons(actions: readonly ChatAction[], options: CardOptions): CardAction[] {
  const live = options.live ?? (() => true);
  const card = options.refresh?.cardId ?? options.back?.cardId;
  return actions
    .filter(live)
    .slice(0, L.actionsPerSet)
    .map((action) => {
      const button = execute(action.label, action.kind, {
        id: action.id,
        ...(card ? { card } : {}),
      });
      if (action.style) button.style = action.style === 'danger' ? 'destructive' : 'positive';
      if (!action.confirm) return button;
      // Adaptive Cards have no confirm dialog: the question and the real button open below.
      return {
        type: 'Action.ShowCard' as const,
        title: truncateCard(cardPlain(action.label), L.actionTitle),
        card: {
          type: 'AdaptiveCard' as const,
          version: '1.5' as const,
          body: [
            {
              type: 'TextBlock' as const,
              text: truncateCard(cardInline(action.confirm.title), 100),
              wrap: true as const,
              weight: 'Bolder' as const,
            },
            {
              type: 'TextBlock' as const,
              text: truncateCard(cardInline(action.confirm.text), 300),
              wrap: true as const,
            },
          ],
          actions: [{ ...button, title: truncateCard(cardPlain(action.confirm.confirm), 30) }],
        },
      };
    });
}

function execute(title: string, verb: string, data: Record<string, string>): ExecuteAction {
  return {
    type: 'Action.Execute',
    title: truncateCard(cardPlain(title), L.actionTitle),
    verb,
    data,
  };
}

/** One TextBlock per line: Teams joins single line breaks in markdown, which would merge them. */
function lines(text: string, tone: ChatTone | undefined): TextBlock[] {
  const mark = tone ? MARK[tone] : '';
  return text.split('\n').map((line, i) => ({
    type: 'TextBlock' as const,
    text: truncateCard(i === 0 && mark ? `${mark} ${line}` : line || ' ', L.textChars),
    wrap: true as const,
    ...(i > 0 ? { spacing: 'None' as const } : {}),
    ...(tone && COLOR[tone] !== 'default' ? { color: COLOR[tone] } : {}),
  }));
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

/** The mention entities of one card: `<at>Name</at>` in text, one entity per person. */
class Mentions {
  readonly entities: MentionEntity[] = [];
  constructor(private readonly names: Readonly<Record<string, string>>) {}

  add(part: Exclude<ChatInline, string>): string {
    if (part.mention === 'group' || !MENTIONABLE.test(part.id)) {
      // Entra groups cannot be mentioned in a card; they are named as text.
      return cardInline(part.mention === 'group' ? `group ${part.id}` : `@${part.id}`);
    }
    const name = cardPlain(this.names[part.id] ?? part.id).replace(/[<>]/g, '') || part.id;
    const text = `<at>${name}</at>`;
    if (!this.entities.some((e) => e.text === text && e.mentioned.id === part.id)) {
      this.entities.push({ type: 'mention', text, mentioned: { id: part.id, name } });
    }
    return text;
  }
}
