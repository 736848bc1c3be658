import { describe, expect, it } from 'vitest';
import { suggestNoise } from '../../core/noise/suggest-noise.js';
import { addChatIgnoreRule } from '../../core/store/chat-ignore-rules.js';
import { openStore } from '../../core/store/open-store.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers';
const now = new Date('2026-11-21T10:00:00Z');

async function storeWithIgnores(paths: { id: string; path: string }[]) {
  const store = await openStore({ memory: true });
  for (const { id, path } of paths)
    await addChatIgnoreRule(
      store,
      'prod',
      { id, path, owner: 'U1', reason: 'platform', expires: '2026-12-01T00:00:00Z' },
      now,
    );
  return store;
}

describe('suggestNoise', () => {
  it('counts chat ignore rules of one path on several resources of a type, elements generalised', async () => {
    const store = await storeWithIgnores(
      ['nsg-a', 'nsg-b', 'nsg-c'].map((n) => ({
        id: `${RG}/Microsoft.Network/networkSecurityGroups/${n}`,
        path: `properties.securityRules[rule-${n}].properties.description`,
      })),
    );

    const suggestions = await suggestNoise(store, { scope: 'prod' });
    await store.close();

    expect(suggestions).toEqual([
      {
        resourceType: 'Microsoft.Network/networkSecurityGroups',
        path: 'properties.securityRules[*].properties.description',
        resources: 3,
        occurrences: 3,
        scopes: ['prod'],
        driftignore:
          'Microsoft.Network/networkSecurityGroups.*.properties.securityRules[*].properties.description',
      },
    ]);
  });

  it('proposes nothing below the threshold and ignores rules that already use wildcards', async () => {
    const store = await storeWithIgnores([
      { id: `${RG}/Microsoft.Web/sites/app-a`, path: 'properties.siteConfig.linuxFxVersion' },
      { id: `${RG}/Microsoft.Web/sites/app-b`, path: 'properties.siteConfig.linuxFxVersion' },
      { id: `${RG}/Microsoft.Web/sites/*`, path: 'properties.siteConfig.linuxFxVersion' },
    ]);

    expect(await suggestNoise(store, { scope: 'prod' })).toEqual([]);
    expect(await suggestNoise(store, { scope: 'prod', minResources: 2 })).toHaveLength(1);
    await store.close();
  });
});
