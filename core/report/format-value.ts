/** A value as one short line for reports: strings bare, absent as "(absent)", JSON otherwise. */
export function formatValue(value: unknown, max = 60): string {
  let text: string;
  const rule = describeSecurityRule(value);
  if (rule) text = rule;
  else if (value === undefined) text = '(absent)';
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
