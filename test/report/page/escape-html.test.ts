import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, safeHref } from '../../../core/report/escape-html.js';

describe('escape-html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["it's `a` & b", 'it&#39;s &#96;a&#96; &amp; b'],
    ['line\u2028sep\u0007bell', 'line\\u{2028}sep\\u{7}bell'],
    ['plain tag-value_1', 'plain tag-value_1'],
  ])('escapes %j for element text and quoted attributes', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it.each([
    [
      'https://dev.azure.com/contoso/app/_build/results?buildId=4420',
      'https://dev.azure.com/contoso/app/_build/results?buildId=4420',
    ],
    ['http://example.test/run', 'http://example.test/run'],
    ['javascript:alert(1)', undefined],
    [' JaVaScRiPt:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['vbscript:msgbox', undefined],
    ['/relative/path', undefined],
    ['https://user:pass@example.test/', undefined],
    [undefined, undefined],
  ])('accepts only plain http(s) links: %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });

  it('writes JSON that cannot end a script element and reads back unchanged', () => {
    const value = {
      tag: '</script><script>alert(1)</script><!--',
      sep: 'a\u2028b\u2029c',
      amp: '&',
    };

    const text = jsonForScript(value);

    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toBe(
      '{"tag":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!--","sep":"a\\u2028b\\u2029c","amp":"\\u0026"}',
    );
    expect(JSON.parse(text)).toEqual(value);
  });
});
