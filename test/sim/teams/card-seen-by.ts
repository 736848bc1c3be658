import { ADAPTIVE_CARD_CONTENT_TYPE } from './validate-outbound-activity.js';

type Card = Record<string, unknown> & {
  refresh?: { action?: { verb?: string; data?: unknown }; userIds?: string[] };
};

/** What one person sees for a card message, and whether Teams asked the bot for it. */
export interface SeenCard {
  card: Card | undefined;
  /** `refreshed`: Teams sent an automatic `adaptiveCard/action` and shows the bot's answer. */
  source: 'posted' | 'refreshed';
  /** HTTP status of the refresh invoke, when there was one. */
  status?: number;
}

/** The first Adaptive Card attached to an activity, if any. */
export function adaptiveCardOf(activity: Record<string, unknown> | undefined): Card | undefined {
  const attachments = activity?.attachments as
    | Array<{ contentType?: string; content?: unknown }>
    | undefined;
  const attachment = attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE);
  return attachment?.content as Card | undefined;
}

/**
 * Teams' Universal Actions refresh rule: a card with `refresh` is re-fetched from the bot (an
 * automatic `adaptiveCard/action` invoke carrying `refresh.action`'s verb and data) for a viewer
 * whose Teams user id (`29:…`, the MRI) is in `refresh.userIds` — or for everyone when `userIds` is
 * absent; everyone else sees the card as posted (or as last updated).
 */
export async function cardSeenBy(
  posted: Record<string, unknown> | undefined,
  viewerTeamsId: string,
  refresh: (action: { verb: string; data: unknown; replyToId: string }) => Promise<{
    status: number;
    body: unknown;
  }>,
): Promise<SeenCard> {
  const card = adaptiveCardOf(posted);
  const rule = card?.refresh;
  const applies =
    rule?.action && (rule.userIds === undefined || rule.userIds.includes(viewerTeamsId));
  if (!card || !rule || !applies) return { card, source: 'posted' };
  const res = await refresh({
    verb: String(rule.action?.verb ?? ''),
    data: rule.action?.data ?? {},
    replyToId: String(posted?.id),
  });
  const body = res.body as { type?: string; value?: Card } | undefined;
  // Teams keeps showing the posted card when the refresh fails or answers something else.
  if (res.status !== 200 || body?.type !== ADAPTIVE_CARD_CONTENT_TYPE)
    return { card, source: 'posted', status: res.status };
  return { card: body.value, source: 'refreshed', status: res.status };
}
