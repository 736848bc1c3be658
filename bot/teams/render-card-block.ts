import type {
  ChatAction,
  ChatBlock,
  ChatFinding,
  ChatInline,
  ChatTone,
} from '../../core/commands/chat-message.js';
import type {
  CardAction,
  CardColor,
  CardElement,
  ExecuteAction,
  MentionEntity,
  TextBlock,
} from './adaptive-card.js';
import { cardInline, cardPlain, cardText, truncateCard } from './card-markdown.js';
import { TEAMS_LIMITS as L } from './teams-limits.js';

/** How a card is rendered for its viewer. */
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

/** The Adaptive Card colour of each tone. */
export const COLOR: Record<ChatTone, CardColor> = {
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
export const MARK: Record<ChatTone, string> = {
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

/** One block of the neutral message as Adaptive Card elements. */
export function renderBlock(
  block: ChatBlock,
  options: CardOptions,
  mentions: CardMentions,
): CardElement[] {
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

/** An `Action.Execute` button: the verb and only opaque ids as data. */
export function execute(title: string, verb: string, data: Record<string, string>): ExecuteAction {
  return {
    type: 'Action.Execute',
    title: truncateCard(cardPlain(title), L.actionTitle),
    verb,
    data,
  };
}

/** One TextBlock per line: Teams joins single line breaks in markdown, which would merge them. */
export function lines(text: string, tone: ChatTone | undefined): TextBlock[] {
  const mark = tone ? MARK[tone] : '';
  return text.split('\n').map((line, i) => ({
    type: 'TextBlock' as const,
    text: truncateCard(i === 0 && mark ? `${mark} ${line}` : line || ' ', L.textChars),
    wrap: true as const,
    ...(i > 0 ? { spacing: 'None' as const } : {}),
    ...(tone && COLOR[tone] !== 'default' ? { color: COLOR[tone] } : {}),
  }));
}

/** The mention entities of one card: `<at>Name</at>` in text, one entity per person. */
export class CardMentions {
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
