import { describe, expect, it } from 'vitest';
import {
  buildChangesQuery,
  buildResourcesQuery,
  buildTypeCountQuery,
  kqlString,
} from '../../core/collect/build-graph-query.js';

const SUB = '00000000-0000-4000-8000-00000000000a';

describe('buildResourcesQuery', () => {
  it.each([
    [{}, 'resources | order by id asc'],
    [
      { resourceGroups: ['rg-web', 'rg-data'] },
      "resources | where resourceGroup in~ ('rg-web', 'rg-data') | order by id asc",
    ],
    [
      { includeTypes: ['Microsoft.Web/sites'], excludeTypes: ['Microsoft.Web/sites/slots'] },
      "resources | where type in~ ('Microsoft.Web/sites') | where type !in~ ('Microsoft.Web/sites/slots') | order by id asc",
    ],
    [
      { tags: { env: 'prod', "o'brien": 'a\\b' } },
      "resources | where tags['env'] =~ 'prod' | where tags['o\\'brien'] =~ 'a\\\\b' | order by id asc",
    ],
  ])('%o', (filters, expected) => {
    expect(buildResourcesQuery({ name: 'x', subscriptions: [SUB], ...filters })).toBe(expected);
  });
});

describe('buildTypeCountQuery', () => {
  it('counts per subscription and type under the scope filters, in a stable order for paging', () => {
    expect(
      buildTypeCountQuery({
        name: 'x',
        subscriptions: [SUB],
        resourceGroups: ['rg-web'],
        excludeTypes: ['Microsoft.Web/sites/slots'],
      }),
    ).toBe(
      "resources | where resourceGroup in~ ('rg-web') | where type !in~ ('Microsoft.Web/sites/slots') | summarize count() by subscriptionId, type | order by subscriptionId asc, type asc",
    );
  });
});

describe('kqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
  ])('%s', (value, expected) => {
    expect(kqlString(value)).toBe(expected);
  });
});

describe('buildChangesQuery', () => {
  it('filters resourcechanges by target id and time window', () => {
    expect(
      buildChangesQuery(
        ['/subscriptions/s/x'],
        new Date('2026-11-20T00:00:00Z'),
        new Date('2026-11-21T00:00:00Z'),
      ),
    ).toBe(
      "resourcechanges | where tostring(properties.targetResourceId) in~ ('/subscriptions/s/x') | where todatetime(properties.changeAttributes.timestamp) between (datetime(2026-11-20T00:00:00.000Z) .. datetime(2026-11-21T00:00:00.000Z)) | order by id asc",
    );
  });
});
