import { z } from 'zod';

/**
 * Teams refuses a bot message over about 28 KB ("Message size too large", 413). The limit is on
 * the whole message the bot sends — text, card and envelope — so the simulator measures the
 * request body in UTF-8 bytes.
 */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Action types Teams renders in Adaptive Cards (Universal Actions use `Action.Execute`). */
const ACTION_TYPES = new Set([
  'Action.Execute',
  'Action.OpenUrl',
  'Action.Submit',
  'Action.ShowCard',
  'Action.ToggleVisibility',
]);

const Attachment = z.object({
  contentType: z.string().min(1),
  content: z.unknown().optional(),
  contentUrl: z.string().optional(),
  name: z.string().optional(),
});

/** The fields of an outbound activity the simulator checks; the rest passes through. */
const OutboundActivity = z.looseObject({
  type: z.enum(['message', 'typing']),
  text: z.string().optional(),
  textFormat: z.enum(['markdown', 'plain', 'xml']).optional(),
  attachments: z.array(Attachment).optional(),
  conversation: z.looseObject({ id: z.string().min(1) }).optional(),
  replyToId: z.string().optional(),
});

export type OutboundActivity = z.infer<typeof OutboundActivity>;

/**
 * Problems with an activity a bot sends (empty list when Teams would take it): its shape, that a
 * message has text or attachments, that its conversation is the one in the URL, and that Adaptive
 * Cards are version ≤ 1.5 with actions Teams knows (refresh must be `Action.Execute`).
 */
export function validateOutboundActivity(body: unknown, conversationId?: string): string[] {
  const parsed = OutboundActivity.safeParse(body);
  if (!parsed.success)
    return parsed.error.issues.map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`);
  const activity = parsed.data;
  const errors: string[] = [];
  if (activity.type === 'message' && !activity.text && !activity.attachments?.length)
    errors.push('a message needs text or attachments');
  if (conversationId && activity.conversation && activity.conversation.id !== conversationId)
    errors.push(
      `conversation.id ${activity.conversation.id} is not the conversation in the URL (${conversationId})`,
    );
  activity.attachments?.forEach((attachment, index) => {
    if (attachment.contentType === ADAPTIVE_CARD_CONTENT_TYPE)
      errors.push(...validateAdaptiveCard(attachment.content, `attachments.${index}.content`));
  });
  return errors;
}

/** Problems with an Adaptive Card (shape, version ≤ 1.5, action types, refresh). */
export function validateAdaptiveCard(card: unknown, at: string): string[] {
  if (!isRecord(card)) return [`${at}: an Adaptive Card attachment needs a card object`];
  const errors: string[] = [];
  if (card.type !== 'AdaptiveCard') errors.push(`${at}.type: must be AdaptiveCard`);
  if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version))
    errors.push(`${at}.version: Teams renders Adaptive Cards 1.0–1.5, got ${String(card.version)}`);
  if (card.body !== undefined && !Array.isArray(card.body))
    errors.push(`${at}.body: must be an array`);
  for (const [path, action] of findActions(card, at)) {
    if (typeof action.type !== 'string' || !ACTION_TYPES.has(action.type))
      errors.push(`${path}.type: unknown action type ${String(action.type)}`);
  }
  if (card.refresh !== undefined) {
    const refresh = card.refresh;
    const action = isRecord(refresh) ? refresh.action : undefined;
    if (!isRecord(action) || action.type !== 'Action.Execute')
      errors.push(`${at}.refresh.action: must be an Action.Execute`);
    if (isRecord(refresh) && refresh.userIds !== undefined) {
      const ids = refresh.userIds;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
        errors.push(`${at}.refresh.userIds: must be an array of user ids`);
    }
  }
  return errors;
}

/** Every action in `actions` arrays (card, ActionSet, ShowCard) and `selectAction`s. */
function findActions(node: unknown, at: string): Array<[string, Record<string, unknown>]> {
  const found: Array<[string, Record<string, unknown>]> = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${path}.${i}`);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'refresh') continue;
      if (key === 'actions' && Array.isArray(child)) {
        child.forEach((action, i) => {
          if (isRecord(action)) found.push([`${path}.actions.${i}`, action]);
        });
      }
      if (key === 'selectAction' && isRecord(child)) found.push([`${path}.selectAction`, child]);
      walk(child, `${path}.${key}`);
    }
  };
  walk(node, at);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INVOKE_RESPONSE_TYPES = new Set([
  ADAPTIVE_CARD_CONTENT_TYPE,
  'application/vnd.microsoft.activity.message',
  'application/vnd.microsoft.error',
]);

/**
 * Problems with a bot's answer to an `adaptiveCard/action` invoke, which Teams reads from the HTTP
 * response: status 200 and a body `{ statusCode, type, value }` where a card type carries a valid
 * card (Universal Actions' response contract).
 */
export function validateAdaptiveCardInvokeResponse(status: number, body: unknown): string[] {
  if (status !== 200) return [`invoke answered HTTP ${status}; Teams expects 200`];
  if (!isRecord(body)) return ['invoke response has no body { statusCode, type, value }'];
  const errors: string[] = [];
  if (typeof body.statusCode !== 'number')
    errors.push('invoke response: statusCode must be a number');
  if (typeof body.type !== 'string' || !INVOKE_RESPONSE_TYPES.has(body.type))
    errors.push(`invoke response: unknown type ${String(body.type)}`);
  if (body.type === ADAPTIVE_CARD_CONTENT_TYPE) {
    errors.push(...validateAdaptiveCard(body.value, 'invoke response value'));
    const bytes = Buffer.byteLength(JSON.stringify(body));
    if (bytes > TEAMS_MESSAGE_LIMIT_BYTES)
      errors.push(
        `invoke response card is ${bytes} bytes, over Teams' ${TEAMS_MESSAGE_LIMIT_BYTES}`,
      );
  }
  return errors;
}
