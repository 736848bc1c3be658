import { describe, expect, it } from 'vitest';
import { cutAroundDifference, describeValues } from '../../core/report/format-value.js';

describe('describeValues', () => {
  it.each([
    ['short values as they are', 'a', 'b', 'a → b'],
    ['absent before', undefined, 'x', '(absent) → x'],
    ['a string and a number that print alike', '1', 1, '"1" → 1'],
    [
      'long values differing at the end',
      `${'a'.repeat(70)}1`,
      `${'a'.repeat(70)}2`,
      `…${'a'.repeat(57)}1 → …${'a'.repeat(57)}2`,
    ],
    [
      'long values differing at the start',
      `1${'a'.repeat(70)}`,
      `2${'a'.repeat(70)}`,
      `1${'a'.repeat(57)}… → 2${'a'.repeat(57)}…`,
    ],
    [
      'one value a prefix of the other',
      'a'.repeat(70),
      `${'a'.repeat(70)}b`,
      `…${'a'.repeat(58)} → …${'a'.repeat(57)}b`,
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(describeValues({ before, after }, 60)).toBe(expected);
  });

  it.each([
    ['changed', '(secret)', '(secret)', 'changed (secret, value hidden)'],
    ['set', undefined, '(secret)', 'set (secret, value hidden)'],
    ['removed', '(secret)', undefined, 'removed (secret, value hidden)'],
    [
      'with a visible part that changed',
      'A=1;Key=(secret)',
      'A=2;Key=(secret)',
      'A=1;Key=(secret) → A=2;Key=(secret)',
    ],
  ])('a secret %s', (_name, before, after, expected) => {
    expect(describeValues({ before, after, secret: true })).toBe(expected);
  });
});

describe('cutAroundDifference', () => {
  it('never returns two identical strings for different inputs', () => {
    const cases: Array<[string, string]> = [];
    for (let n = 30; n < 140; n += 7) {
      for (let d = 0; d < n; d += 5) {
        const a = 'ab'.repeat(n).slice(0, n);
        cases.push([a, `${a.slice(0, d)}Z${a.slice(d + 1)}`], [a, `${a}tail`], [`x${a}`, a]);
      }
    }
    const same = cases.filter(([a, b]) => {
      const [x, y] = cutAroundDifference(a, b, 40);
      return x === y || x.length > 40 || y.length > 40;
    });
    expect(same).toEqual([]);
  });
});
