/**
 * The Adaptive Card 1.5 elements driftwatch uses (adaptivecards.io schema), typed narrowly: only
 * the fields the card builder writes. Teams-specific parts live under `msteams`.
 */
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type CardColor = 'default' | 'attention' | 'warning' | 'good' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  color?: CardColor;
  isSubtle?: true;
  fontType?: 'Monospace';
  spacing?: 'None' | 'Small' | 'Medium';
  separator?: true;
  style?: 'heading';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  separator?: true;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  separator?: true;
  spacing?: 'None' | 'Small' | 'Medium';
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  separator?: true;
}

export type CardElement = TextBlock | FactSet | Container | ActionSet;

/** Universal Action: Teams sends an `adaptiveCard/invoke` with `verb` and `data` to the bot. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** A confirmation: the question and the real button open under the button that asks. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
}

export type CardAction = ExecuteAction | OpenUrlAction | ShowCardAction;

/** A Teams mention entity; `text` must appear verbatim in a TextBlock (`<at>Name</at>`). */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  /** Universal Actions: Teams invokes `action` for each of `userIds` when they view the card. */
  refresh?: { action: ExecuteAction; userIds: string[] };
  fallbackText?: string;
  msteams?: { width: 'Full'; entities?: MentionEntity[] };
}
