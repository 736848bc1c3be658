/**
 * Slack's documented Block Kit and message limits (docs.slack.dev, Block Kit reference and
 * chat.postMessage). The builder enforces them; the simulator in test/sim/slack checks them
 * independently.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** A button's confirmation dialog: title, question, and the two button labels. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** chat.postMessage `text` beyond this is `msg_too_long`. */
  messageText: 40_000,
} as const;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
