/**
 * What a network setting admits, read the way an attacker reads it: which sources count as "any",
 * which ports a rule opens, whether an address list or firewall range lets the whole internet in.
 * Severity rules use these on single fields, list fields, port ranges and whole added resources.
 */

/** Management ports: a shell or desktop on the machine behind them. */
export const MANAGEMENT_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  3389: 'RDP',
  5985: 'WinRM',
  5986: 'WinRM',
};

/** Source names NSGs and firewalls treat as "anywhere" (service tags and CIDRs). */
const ANY_SOURCE = new Set([
  '*',
  'internet',
  'any',
  '0.0.0.0/0',
  '::/0',
  '0.0.0.0-255.255.255.255',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/** True for `*`, `Internet`, `Any`, and any CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`). */
export function isAnySource(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim().toLowerCase();
  return ANY_SOURCE.has(v) || /\/0$/.test(v);
}

/** A start–end firewall range that covers every IPv4 address. */
export function isWholeInternetRange(start: unknown, end: unknown): boolean {
  return start === '0.0.0.0' && end === '255.255.255.255';
}

/** Fields of address-list elements (IP rules, access restrictions) that hold what they admit. */
const ADDRESS_FIELDS = ['value', 'ipAddress', 'ipAddressOrRange', 'ipMask', 'addressPrefix'];

/**
 * Whether an address list, one of its elements, or a comma-separated range filter admits any
 * source. Elements whose `action` is Deny admit nothing.
 */
export function admitsAny(value: unknown): boolean {
  if (typeof value === 'string') return value.split(',').some(isAnySource);
  if (Array.isArray(value)) return value.some(admitsAny);
  if (!isObject(value)) return false;
  if (lower(value.action) === 'deny') return false;
  if (isWholeInternetRange(value.startIpAddress, value.endIpAddress)) return true;
  return ADDRESS_FIELDS.some((f) => isAnySource(value[f]));
}

/** Ports an inbound allow rule opens to any source: `all`, the management ports, or undefined. */
export function openToAny(rule: Json | undefined): number[] | 'all' | undefined {
  if (!rule || lower(rule.direction) !== 'inbound' || lower(rule.access) !== 'allow')
    return undefined;
  const sources = [
    rule.sourceAddressPrefix,
    ...(Array.isArray(rule.sourceAddressPrefixes) ? rule.sourceAddressPrefixes : []),
  ];
  if (!sources.some(isAnySource)) return undefined;
  const ranges = [
    rule.destinationPortRange,
    ...(Array.isArray(rule.destinationPortRanges) ? rule.destinationPortRanges : []),
  ].filter((r): r is string => typeof r === 'string' && r !== '');
  if (ranges.some((r) => r === '*')) return 'all';
  const ports: number[] = [];
  for (const range of ranges) {
    const [lo, hi] = range.split('-').map((p) => Number(p.trim()));
    if (lo === undefined || Number.isNaN(lo)) continue;
    if (lo <= 0 && (hi ?? lo) >= 65535) return 'all';
    for (const p of Object.keys(MANAGEMENT_PORTS).map(Number))
      if (p >= lo && p <= (hi ?? lo)) ports.push(p);
  }
  return ports.length > 0 ? ports : ranges.length > 0 ? [] : undefined;
}

/** "SSH (22), RDP (3389)" for the management ports a rule exposes to any source, else undefined. */
export function managementExposure(rule: Json | undefined): string | undefined {
  const open = openToAny(rule);
  if (open === undefined) return undefined;
  if (open === 'all') return 'all ports, including SSH and RDP';
  const names = [...new Set(open.map((p) => `${MANAGEMENT_PORTS[p]} (${p})`))];
  return names.length > 0 ? names.join(', ') : undefined;
}
