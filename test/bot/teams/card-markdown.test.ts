import { describe, expect, it } from 'vitest';
import { cardInline, cardPlain, cardText, truncateCard } from '../../../bot/teams/card-markdown.js';

describe('cardText', () => {
  it.each([
    ['a markdown link', '[x](http://evil)', '\\[x\\]\\(http\\://evil\\)'],
    ['a bare URL', 'see https://evil.example/a', 'see https\\://evil.example/a'],
    ['bold and italic', '**bold** _it_', '\\*\\*bold\\*\\* \\_it\\_'],
    ['strike and code', '~~gone~~ `rm -rf`', '\\~\\~gone\\~\\~ \\`rm -rf\\`'],
    ['a Teams mention tag', '<at>Admin</at>', '\\<at\\>Admin\\</at\\>'],
    ['an HTML entity', '&lt;at&gt;', '\\&lt;at\\&gt;'],
    [
      'a date function',
      '{{DATE(2026-11-21T09:00:00Z, SHORT)}}',
      '\\{\\{DATE\\(2026-11-21T09:00:00Z, SHORT\\)\\}\\}',
    ],
    ['a backslash', 'C:\\temp', 'C:\\\\temp'],
    ['a heading, a quote and a rule', '# big\n> quoted\n---', '\\# big\n\\> quoted\n\\---'],
    [
      'list markers at line starts',
      'a\n- b\n+ c\n  1. d\n2) e',
      'a\n\\- b\n\\+ c\n  1\\. d\n2\\) e',
    ],
    ['an image', '![i](http://evil/x.png)', '\\!\\[i\\]\\(http\\://evil/x.png\\)'],
    ['a table pipe', 'a | b', 'a \\| b'],
    ['carriage returns (list breaks in Teams)', 'a\r- b\r\nc', 'a\n\\- b\nc'],
    [
      'plain values',
      '10.10.0.4/32 → * (Standard_D4s_v5)',
      '10.10.0.4/32 → \\* \\(Standard\\_D4s\\_v5\\)',
    ],
  ])('escapes %s', (_name, input, expected) => {
    expect(cardText(input)).toBe(expected);
  });

  it('leaves no literal <at> for the mention matcher, however it is spelled', () => {
    const hostile = '<at>x</at> <AT>y</AT> <<at>>z';

    expect(cardText(hostile).toLowerCase()).not.toContain('<at>');
    expect(cardText(hostile).toLowerCase()).not.toContain('</at>');
  });

  it('masks secrets before escaping', () => {
    expect(cardText('Server=x;Password=Hunter2-Card;')).not.toContain('Hunter2-Card');
  });
});

describe('cardInline', () => {
  it('turns line breaks into spaces so one value cannot start a list or a paragraph', () => {
    expect(cardInline('tag\n- item\r\n\n1. two\u2028x')).toBe('tag - item 1. two x');
  });
});

describe('cardPlain', () => {
  it('only flattens lines and masks secrets (titles are shown as they are)', () => {
    expect(cardPlain('Show **diff**\n[x](y)')).toBe('Show **diff** [x](y)');
  });
});

describe('truncateCard', () => {
  it.each([
    ['abc', 5, 'abc'],
    ['abcdef', 4, 'abc…'],
    ['ab\\*cd', 4, 'ab…'],
    ['a\\\\bcd', 4, 'a\\\\…'],
  ])('truncateCard(%j, %d) is %j', (text, max, expected) => {
    expect(truncateCard(text, max)).toBe(expected);
  });
});
