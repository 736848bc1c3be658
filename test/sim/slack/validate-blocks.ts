/**
 * Slack's Block Kit limits, written independently of bot/slack/build-blocks.ts so the simulator
 * catches builder mistakes. Sources: docs.slack.dev Block Kit reference ("blocks" ≤ 50 per
 * message; section text ≤ 3,000; header text ≤ 150 plain_text; context elements ≤ 10; actions
 * elements ≤ 25; button text ≤ 75, value ≤ 2,000, action_id ≤ 255, url ≤ 3,000; section fields
 * ≤ 10 of ≤ 2,000; a button's confirm dialog: title ≤ 100, text ≤ 300, confirm/deny ≤ 30) and chat.postMessage (`text` over 40,000 characters is `msg_too_long`).
 * Error strings follow Slack's `invalid_blocks` shape: `<problem> [json-pointer:<path>]`.
 */
type Json = Record<string, unknown>;

const KNOWN = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'rich_text']);

export function validateBlocks(blocks: unknown): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return ['must provide an array [json-pointer:/blocks]'];
  if (blocks.length > 50) errors.push('must be less than 51 items [json-pointer:/blocks]');
  blocks.forEach((raw, i) => {
    const at = `/blocks/${i}`;
    const block = raw as Json;
    if (!KNOWN.has(String(block.type))) {
      errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
      return;
    }
    maxLen(errors, block.block_id, 255, `${at}/block_id`);
    if (block.type === 'header') {
      textObject(errors, block.text, 150, `${at}/text`, 'plain_text');
    }
    if (block.type === 'section') {
      if (block.text === undefined && block.fields === undefined) {
        errors.push(`must provide text or fields [json-pointer:${at}]`);
      }
      if (block.text !== undefined) textObject(errors, block.text, 3000, `${at}/text`);
      if (block.fields !== undefined) {
        const fields = block.fields as unknown[];
        if (fields.length > 10)
          errors.push(`must be less than 11 items [json-pointer:${at}/fields]`);
        for (const [j, f] of fields.entries()) textObject(errors, f, 2000, `${at}/fields/${j}`);
      }
    }
    if (block.type === 'context') {
      const elements = (block.elements as unknown[]) ?? [];
      if (elements.length === 0 || elements.length > 10) {
        errors.push(`must be between 1 and 10 items [json-pointer:${at}/elements]`);
      }
      for (const [j, e] of elements.entries()) textObject(errors, e, 3000, `${at}/elements/${j}`);
    }
    if (block.type === 'actions') {
      const elements = (block.elements as Json[]) ?? [];
      if (elements.length === 0 || elements.length > 25) {
        errors.push(`must be between 1 and 25 items [json-pointer:${at}/elements]`);
      }
      for (const [j, e] of elements.entries()) button(errors, e, `${at}/elements/${j}`);
    }
  });
  return errors;
}

function button(errors: string[], element: Json, at: string): void {
  if (element.type !== 'button') {
    errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
    return;
  }
  textObject(errors, element.text, 75, `${at}/text`, 'plain_text');
  maxLen(errors, element.value, 2000, `${at}/value`);
  maxLen(errors, element.action_id, 255, `${at}/action_id`);
  maxLen(errors, element.url, 3000, `${at}/url`);
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    errors.push(`must be one of primary, danger [json-pointer:${at}/style]`);
  }
  if (element.confirm !== undefined) confirm(errors, element.confirm as Json, `${at}/confirm`);
}

/** A confirmation dialog object: title ≤ 100, text ≤ 300, confirm and deny ≤ 30 (plain_text). */
function confirm(errors: string[], dialog: Json, at: string): void {
  textObject(errors, dialog.title, 100, `${at}/title`, 'plain_text');
  textObject(errors, dialog.text, 300, `${at}/text`);
  textObject(errors, dialog.confirm, 30, `${at}/confirm`, 'plain_text');
  textObject(errors, dialog.deny, 30, `${at}/deny`, 'plain_text');
  if (dialog.style !== undefined && dialog.style !== 'primary' && dialog.style !== 'danger') {
    errors.push(`must be one of primary, danger [json-pointer:${at}/style]`);
  }
}

function textObject(
  errors: string[],
  value: unknown,
  max: number,
  at: string,
  only?: string,
): void {
  const object = value as Json | undefined;
  if (
    !object ||
    (object.type !== 'plain_text' && object.type !== 'mrkdwn') ||
    (only && object.type !== only)
  ) {
    errors.push(`failed to match all allowed schemas [json-pointer:${at}]`);
    return;
  }
  if (typeof object.text !== 'string' || object.text.length === 0) {
    errors.push(`must be more than 0 characters [json-pointer:${at}/text]`);
    return;
  }
  maxLen(errors, object.text, max, `${at}/text`);
}

function maxLen(errors: string[], value: unknown, max: number, at: string): void {
  if (typeof value === 'string' && value.length > max) {
    errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
  }
}
