import type { SlackBlock } from './build-blocks.js';

/**
 * The original message's blocks with the buttons of one finding (those whose value is `actionId`)
 * replaced by a context line saying who did what, for updating the message in place.
 */
export function markFindingHandled(
  blocks: readonly SlackBlock[],
  actionId: string,
  line: string,
): SlackBlock[] {
  return blocks.map((block) => {
    if (block.type !== 'actions') return block;
    const mine = block.elements.some((e) => 'value' in e && e.value === actionId);
    return mine
      ? { type: 'context', elements: [{ type: 'mrkdwn', text: line.slice(0, 3000) }] }
      : block;
  });
}
