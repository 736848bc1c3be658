/** A value as one short line for reports: strings bare, absent as "(absent)", JSON otherwise. */
export function formatValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = '(absent)';
  else if (typeof value === 'string') text = value === '' ? '""' : value;
  else text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Thousands separators, as people read counts: 3,912. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A path shortened for chat and tables: drops the leading `properties.` of embedded rules. */
export function shortPath(path: string): string {
  return path.replace(/^properties\./, '').replace(/\]\.properties\./g, '] ');
}
