/**
 * Glob matching for ignore rules and severity rules: `*` matches any run of characters
 * (including `/`, `.` and brackets), `?` one character; matching is case-insensitive because
 * ARM ids, types and property names are.
 *
 * @example
 * globToRegExp('/subscriptions/*\/resourceGroups/rg-sandbox/*').test(id)
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}
