import { describe, expect, it } from 'vitest';
import { parseDriftignore } from '../../core/engine/parse-driftignore.js';
import { InputError } from '../../core/errors.js';

const ID =
  '/subscriptions/s1/resourceGroups/rg-sandbox/providers/Microsoft.Network/dnsZones/contoso.com';

describe('parseDriftignore', () => {
  it.each([
    ['Microsoft.Network/dnsZones.*', true, undefined],
    ['Microsoft.Network/dnsZones.contoso\\.com', true, undefined],
    ['Microsoft.Network/dnsZones.contoso\\.org', false, undefined],
    ['microsoft.network/DNSZONES.*', true, undefined],
    ['*.contoso\\.com', true, undefined],
    ['Microsoft.Network/dnsZones.*.tags.costcenter', true, 'tags.costcenter'],
    ['/subscriptions/*/resourceGroups/rg-sandbox/*', true, undefined],
    ['/subscriptions/*/resourceGroups/rg-prod/*', false, undefined],
    [`${ID}:properties.numberOfRecordSets`, true, 'properties.numberOfRecordSets'],
  ])('%s', (line, matches, path) => {
    const [parsed] = parseDriftignore(line, '.driftignore');
    expect(parsed?.resource(ID, 'Microsoft.Network/dnsZones', 'contoso.com')).toBe(matches);
    if (path) expect(parsed?.path?.test(path)).toBe(true);
    else expect(parsed?.path).toBeUndefined();
  });

  it('skips comments and blank lines and reads negation', () => {
    const lines = parseDriftignore('# comment\n\n  !Microsoft.Web/sites.app  \n', '.driftignore');
    expect(lines.map((l) => [l.line, l.negate, l.text])).toEqual([
      [3, true, '!Microsoft.Web/sites.app'],
    ]);
  });

  it('names the file and line of a line it cannot read', () => {
    expect(() =>
      parseDriftignore('Microsoft.Web/sites.*\nnot-a-rule\n', 'infra/.driftignore'),
    ).toThrow(InputError);
    expect(() =>
      parseDriftignore('Microsoft.Web/sites.*\nnot-a-rule\n', 'infra/.driftignore'),
    ).toThrow(/^infra\/\.driftignore:2: "not-a-rule" is not an ignore line/);
  });
});
