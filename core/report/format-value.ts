import type { Change } from '../model/report.js';

/** A value as one short line for reports: strings bare, absent as "(absent)", JSON otherwise. */
export function formatValue(value: unknown, max = 60): string {
  const text = showValue(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A change's values as one line, `before → after`, each cut to `max` characters around the first
 * place they differ, so two different values never read the same. A change that involves a
 * secret reads `changed (secret, value hidden)` (or set/removed) unless what is visible differs.
 *
 * @example
 * describeValues({ before: 'a'.repeat(80) + '1', after: 'a'.repeat(80) + '2' }, 20)
 * // '…aaaaaaaaaaaaaaaaa1 → …aaaaaaaaaaaaaaaaa2'
 */
export function describeValues(
  change: Pick<Change, 'before' | 'after' | 'secret'>,
  max = 60,
): string {
  const pair = valuePair(change, max);
  return 'hidden' in pair ? pair.hidden : `${pair.before} → ${pair.after}`;
}

/** The two values as {@link describeValues} shows them, or the one phrase for a hidden secret. */
export function valuePair(
  change: Pick<Change, 'before' | 'after' | 'secret'>,
  max = 60,
): { before: string; after: string } | { hidden: string } {
  const { before, after } = change;
  let a = showValue(before);
  let b = showValue(after);
  if (change.secret) {
    if (before === undefined) return { hidden: 'set (secret, value hidden)' };
    if (after === undefined) return { hidden: 'removed (secret, value hidden)' };
    // What is visible is the same: only the hidden part changed.
    if (a === b) return { hidden: 'changed (secret, value hidden)' };
  }
  if (a === b) {
    // Different values that print alike ("1" and 1, two rules described the same): show JSON.
    a = JSON.stringify(before) ?? String(before);
    b = JSON.stringify(after) ?? String(after);
  }
  const [shownA, shownB] = cutAroundDifference(a, b, max);
  return { before: shownA, after: shownB };
}

/**
 * Two texts cut to `max` characters each, both windows starting at the same offset so they
 * include the first differing character; `…` marks each cut.
 */
export function cutAroundDifference(a: string, b: string, max: number): [string, string] {
  if (a.length <= max && b.length <= max) return [a, b];
  let d = 0;
  while (d < a.length && d < b.length && a[d] === b[d]) d++;
  const room = Math.max(max - 2, 4);
  const context = Math.floor(room / 3);
  const start = d - context > 0 ? d - context : 0;
  const cut = (text: string, clamp: boolean) => {
    if (text.length <= max && start === 0) return text;
    // Near the end, show the end in full; without clamping both windows share one offset.
    const from = clamp ? Math.min(start, Math.max(0, text.length - room)) : start;
    const end = Math.min(text.length, from + room);
    return `${from > 0 ? '…' : ''}${text.slice(from, end)}${end < text.length ? '…' : ''}`;
  };
  const clamped: [string, string] = [cut(a, true), cut(b, true)];
  return clamped[0] !== clamped[1] ? clamped : [cut(a, false), cut(b, false)];
}

/** Thousands separators, as people read counts: 3,912. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A path shortened for chat and tables: drops the leading `properties.` of embedded rules. */
export function shortPath(path: string): string {
  return path.replace(/^properties\./, '').replace(/\]\.properties\./g, '] ');
}

function showValue(value: unknown): string {
  const rule = describeSecurityRule(value);
  if (rule) return rule;
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value) ?? String(value);
}

/** An NSG security rule as people say it: `Inbound Allow Tcp * → *:22 (priority 100)`. */
function describeSecurityRule(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = (value as { properties?: Record<string, unknown> }).properties;
  if (!p || typeof p.direction !== 'string' || typeof p.access !== 'string') return undefined;
  const list = (one: unknown, many: unknown) =>
    [one, ...(Array.isArray(many) ? many : [])]
      .filter((x) => typeof x === 'string' && x !== '')
      .join(',');
  const source = list(p.sourceAddressPrefix, p.sourceAddressPrefixes) || '?';
  const dest = list(p.destinationAddressPrefix, p.destinationAddressPrefixes) || '?';
  const ports = list(p.destinationPortRange, p.destinationPortRanges) || '*';
  return `${p.direction} ${p.access} ${p.protocol ?? '*'} ${source} → ${dest}:${ports} (priority ${p.priority ?? '?'})`;
}
