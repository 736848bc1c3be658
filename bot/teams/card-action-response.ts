import { type AdaptiveCard, CARD_CONTENT_TYPE } from './adaptive-card.js';

/** The body of an `adaptiveCard/action` invoke response (Universal Actions response format). */
export type CardActionResponse =
  | { statusCode: 200; type: typeof CARD_CONTENT_TYPE; value: AdaptiveCard }
  | {
      statusCode: number;
      type: 'application/vnd.microsoft.error';
      value: { code: string; message: string };
    };

/** What a click carries: the action kind as verb, the opaque id and the stored card's id. */
export interface CardClick {
  verb: string;
  id?: string;
  card?: string;
  /** The clicked message's activity id (`replyToId` of the invoke). */
  messageId?: string;
}

/** A card in place of the clicked one, for the clicker. */
export function cardResponse(card: AdaptiveCard): CardActionResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
}

/** A request the bot cannot act on (unknown verb, malformed data). */
export function badRequest(message: string): CardActionResponse {
  return {
    statusCode: 400,
    type: 'application/vnd.microsoft.error',
    value: { code: 'BadRequest', message },
  };
}

/** What a click on an expired card says. */
export function tooOld(deps: { invocation: string }): string {
  return `This card is too old for its buttons. Ask for a fresh one: ${deps.invocation} status.`;
}
