/**
 * HTML escaping for the report page. Every value from Azure (names, tags, paths, values, actors,
 * reasons) reaches the page through one of these, so a tag value `<script>` or `"><img onerror=…>`
 * is shown as text and can open neither an element nor an attribute.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Text for an HTML element's content or a quoted attribute value: `& < > " ' \`` become
 * entities. Control characters other than tab and newline are shown as `\u{…}` so they cannot
 * confuse a reader (or a terminal the page is copied into).
 *
 * @example
 * `<td>${escapeHtml(tagValue)}</td>` // tagValue '<script>' → '<td>&lt;script&gt;</td>'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] as string)
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters shown escaped
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g,
      (c) => `\\u{${c.charCodeAt(0).toString(16)}}`,
    );
}

/**
 * A link target from data, or undefined when it is not a plain `https:` or `http:` URL: a
 * `javascript:`, `data:` or relative value never becomes a link (it is shown as text instead).
 *
 * @example
 * safeHref('https://dev.azure.com/org/p/_build/results?buildId=1') // same URL
 * safeHref('javascript:alert(1)') // undefined
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  return parsed.href;
}

/**
 * JSON that is safe as the text of `<script type="application/json">`: `<` (so no `</script>`
 * or `<!--` can end or change the element), `>`, `&` and the JavaScript line separators U+2028
 * and U+2029 are written as `\u` escapes, which `JSON.parse` reads back unchanged.
 *
 * @example
 * `<script type="application/json" id="data">${jsonForScript(data)}</script>`
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
