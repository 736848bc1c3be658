/**
 * Splits one subscription's resource types into groups of about `size` resources each: as many
 * groups as `total / size` rounded up (never more than there are types), each type whole, the
 * largest types placed first, each into the group holding the fewest resources so far — the
 * groups come out within one type of each other. A type larger than `size` is a group alone
 * (nothing smaller than a type is planned). Groups are ordered largest first, types in a group
 * by name, so the same counts always plan the same shards.
 *
 * @example
 * planTypeGroups(new Map([['a', 600], ['b', 300], ['c', 300]]), 500)
 * // [{ types: ['a'], count: 600 }, { types: ['b', 'c'], count: 600 }]
 */
export function planTypeGroups(
  counts: ReadonlyMap<string, number>,
  size: number,
): Array<{ types: string[]; count: number }> {
  const types = [...counts]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const total = types.reduce((n, [, c]) => n + c, 0);
  const wanted = Math.min(types.length, Math.ceil(total / size));
  const groups = Array.from({ length: wanted }, () => ({ types: [] as string[], count: 0 }));
  for (const [type, n] of types) {
    const smallest = groups.reduce((min, g) => (g.count < min.count ? g : min));
    smallest.types.push(type);
    smallest.count += n;
  }
  for (const g of groups) g.types.sort();
  return groups.sort(
    (a, b) => b.count - a.count || (a.types[0] as string).localeCompare(b.types[0] as string),
  );
}
