/**
 * C0 and C1 control characters, DEL, line/paragraph separators and bidirectional overrides: the
 * characters that let text from Azure move the cursor, clear the screen, set the window title,
 * rewrite a line (CR) or reorder what is shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this does
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from data, safe to print: every control character is shown as a visible escape
 * (`\u001b`), never sent as the byte.
 *
 * @example
 * escapeControl('ok\u001b[2J') // 'ok\\u001b[2J'
 */
export function escapeControl(text: string): string {
  return text.replace(
    CONTROL,
    (ch) => `\\u${(ch.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
