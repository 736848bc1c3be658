import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARRAY_CATALOGUE } from '../../core/engine/array-catalogue.js';
import { compileNoise } from '../../core/engine/compile-noise.js';
import { diffResource } from '../../core/engine/diff-resource.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';

const noise = compileNoise();
type Json = Record<string, unknown>;

function diff(before: Json, after: Json, type: string) {
  const suppressed = new Map<string, number>();
  return diffResource(before, after, { noise, trie: noise.trieFor(type), suppressed });
}

function armExample(file: string): Json {
  const doc = JSON.parse(readFileSync(fixture(`arm/${file}`), 'utf8'));
  return doc.responses['200'].body as Json;
}

const clone = <T>(v: T): T => structuredClone(v);

describeWithFixtures('array matching on real ARM shapes', () => {
  const vault = armExample('Microsoft.KeyVault.vaults.getVault.json');
  const policy = (vault.properties as { accessPolicies: Json[] }).accessPolicies[0] as Json;
  const withPolicies = (policies: Json[]) => {
    const v = clone(vault);
    (v.properties as Json).accessPolicies = policies;
    return v;
  };
  const second: Json = { ...clone(policy), objectId: '11111111-1111-1111-1111-111111111111' };
  const KV = 'Microsoft.KeyVault/vaults';

  it('finds nothing when Key Vault lists the same access policies in another order', () => {
    expect(diff(withPolicies([policy, second]), withPolicies([second, policy]), KV)).toEqual([]);
  });

  it('finds a widened grant inside a reordered access policy list, named by principal', () => {
    const narrow = clone(second);
    (narrow.permissions as Json).certificates = ['get', 'list'];
    const widened = clone(second);
    (widened.permissions as Json).certificates = ['get', 'list', 'import'];
    const changes = diff(withPolicies([policy, narrow]), withPolicies([widened, policy]), KV);
    expect(changes.map((c) => [c.path, c.before, c.after])).toEqual([
      [
        'properties.accessPolicies[objectId=11111111-1111-1111-1111-111111111111].permissions.certificates',
        ['get', 'list'],
        ['get', 'list', 'import'],
      ],
    ]);
  });

  it('reports an access policy added for a new principal as one element', () => {
    const changes = diff(withPolicies([policy]), withPolicies([second, policy]), KV);
    expect(changes.map((c) => c.path)).toEqual([
      'properties.accessPolicies[objectId=11111111-1111-1111-1111-111111111111]',
    ]);
    expect(changes[0]?.before).toBeUndefined();
  });

  const account = armExample('Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json');
  const withIpRules = (rules: Json[]) => {
    const a = clone(account);
    ((a.properties as Json).networkAcls as Json).ipRules = rules;
    return a;
  };
  const ST = 'Microsoft.Storage/storageAccounts';

  it('finds nothing when a storage account lists its IP rules in another order', () => {
    const rules = [
      { value: '20.1.2.0/24', action: 'Allow' },
      { value: '40.5.6.7', action: 'Allow' },
    ];
    expect(diff(withIpRules(rules), withIpRules([...rules].reverse()), ST)).toEqual([]);
  });

  it('finds a storage IP rule whose range widened, named by the rule it replaced', () => {
    const before = [
      { value: '20.1.2.0/24', action: 'Allow' },
      { value: '40.5.6.7', action: 'Allow' },
    ];
    const after = [
      { value: '40.5.6.7', action: 'Allow' },
      { value: '0.0.0.0/0', action: 'Allow' },
    ];
    expect(diff(withIpRules(before), withIpRules(after), ST)).toEqual([
      {
        path: 'properties.networkAcls.ipRules[value=20.1.2.0/24]',
        before: { value: '20.1.2.0/24', action: 'Allow' },
        after: undefined,
      },
      {
        path: 'properties.networkAcls.ipRules[value=0.0.0.0/0]',
        before: undefined,
        after: { value: '0.0.0.0/0', action: 'Allow' },
      },
    ]);
  });

  it('finds a reordered default-documents list (App Service tries them in order)', () => {
    const config = armExample('Microsoft.Web.sites.config.web.GetSiteConfig.json');
    const reordered = clone(config);
    const docs = (reordered.properties as Json).defaultDocuments as string[];
    (reordered.properties as Json).defaultDocuments = [docs[1], docs[0], ...docs.slice(2)];
    const changes = diff(config, reordered, 'Microsoft.Web/sites/config');
    expect(changes.map((c) => c.path)).toEqual(['properties.defaultDocuments']);
  });
});

describe('array matching', () => {
  it.each([
    [
      'unkeyed objects reordered',
      { properties: { list: [{ a: 1 }, { b: 2 }, { c: 3 }] } },
      { properties: { list: [{ c: 3 }, { a: 1 }, { b: 2 }] } },
    ],
    [
      'unkeyed objects reordered with noise changed inside',
      { properties: { list: [{ a: 1, etag: 'x' }, { b: 2 }] } },
      { properties: { list: [{ b: 2 }, { a: 1, etag: 'y' }] } },
    ],
    [
      'unkeyed objects reordered, ARM ids in another case',
      { properties: { list: [{ id2: '/subscriptions/S/x' }, { v: 1 }] } },
      { properties: { list: [{ v: 1 }, { id2: '/SUBSCRIPTIONS/s/X' }] } },
    ],
    [
      'DNS servers of a VNet in the same order',
      { properties: { dhcpOptions: { dnsServers: ['10.0.0.4', '10.0.0.5'] } } },
      { properties: { dhcpOptions: { dnsServers: ['10.0.0.4', '10.0.0.5'] } } },
    ],
    [
      'address prefixes reordered (a set)',
      { properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] } } },
      { properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16', '10.0.0.0/16'] } } },
    ],
  ])('finds nothing for %s', (_name, before, after) => {
    expect(diff(before, after, 'Microsoft.Network/virtualNetworks')).toEqual([]);
  });

  it('finds DNS servers of a VNet swapped (the guest queries the first one first)', () => {
    const before = { properties: { dhcpOptions: { dnsServers: ['10.0.0.4', '10.0.0.5'] } } };
    const after = { properties: { dhcpOptions: { dnsServers: ['10.0.0.5', '10.0.0.4'] } } };
    expect(diff(before, after, 'Microsoft.Network/virtualNetworks')).toEqual([
      {
        path: 'properties.dhcpOptions.dnsServers',
        before: ['10.0.0.4', '10.0.0.5'],
        after: ['10.0.0.5', '10.0.0.4'],
      },
    ]);
  });

  it('matches VM data disks by LUN, so a reorder is silent and a resize is named by LUN', () => {
    const disks = [
      { lun: 0, diskSizeGB: 128, createOption: 'Attach' },
      { lun: 1, diskSizeGB: 256, createOption: 'Attach' },
    ];
    const before = { properties: { storageProfile: { dataDisks: disks } } };
    const after = {
      properties: {
        storageProfile: { dataDisks: [{ ...disks[1], diskSizeGB: 512 }, disks[0]] },
      },
    };
    expect(diff(before, after, 'Microsoft.Compute/virtualMachines')).toEqual([
      { path: 'properties.storageProfile.dataDisks[lun=1].diskSizeGB', before: 256, after: 512 },
    ]);
  });

  it('falls back to content matching when identity fields repeat', () => {
    const before = {
      properties: { networkAcls: { ipRules: [{ value: '1.1.1.1' }, { value: '1.1.1.1' }] } },
    };
    const after = { properties: { networkAcls: { ipRules: [{ value: '1.1.1.1' }] } } };
    expect(diff(before, after, 'Microsoft.Storage/storageAccounts')).toEqual([
      {
        path: 'properties.networkAcls.ipRules[value=1.1.1.1]',
        before: { value: '1.1.1.1' },
        after: undefined,
      },
    ]);
  });

  it('says why for every catalogue entry', () => {
    for (const entry of ARRAY_CATALOGUE) expect(entry.why.length).toBeGreaterThan(20);
  });
});
