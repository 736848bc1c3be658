/**
 * Teams' documented limits for bot messages and Adaptive Cards (learn.microsoft.com: "Format your
 * bot messages" — a message, card included, is at most about 28 KB; "Universal Actions for
 * Adaptive Cards" — `refresh.userIds` takes at most 60 users). The card builder keeps every card
 * under {@link TEAMS_LIMITS.cardBytes} so the activity around it stays under the message limit;
 * the simulator in test/sim/teams checks the message limit independently.
 */
export const TEAMS_LIMITS = {
  /** A message (the whole activity) beyond this is refused with 413. */
  messageBytes: 28 * 1024,
  /** What a card may use: the message limit less room for the activity around it. */
  cardBytes: 24 * 1024,
  refreshUserIds: 60,
  /** One TextBlock's text; longer text is cut (a diff is better read on the report page). */
  textChars: 4000,
  /** Action titles are one short line in Teams' UI. */
  actionTitle: 60,
  /** Buttons per finding or action set before Teams folds them into an overflow menu. */
  actionsPerSet: 6,
  /** Reply cards under a summary (Teams thread or follow-ups); the rest behind the report link. */
  replyCards: 3,
} as const;

/** The UTF-8 size of a payload as it goes on the wire. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
