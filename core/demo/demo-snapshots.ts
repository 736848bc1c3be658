import type { ArmResource, Snapshot } from '../model/resource.js';
import { BASELINE_AT, baselineResources, DEMO_SUBSCRIPTION } from './demo-estate.js';

const SUB = `/subscriptions/${DEMO_SUBSCRIPTION}`;
const CURRENT_AT = '2026-11-21T10:00:00Z';

type Json = Record<string, unknown>;

const find = (list: ArmResource[], name: string) => {
  const r = list.find((x) => x.name === name || x.id.endsWith(`/${name}`));
  if (!r) throw new Error(`demo estate has no ${name}`);
  return r as ArmResource & { properties: Json; tags: Record<string, string>; systemData: Json };
};

/**
 * The sample estate after a simulated change window (09:00–10:00 the next morning): the noise
 * Azure adds on its own on every resource, plus what people did.
 */
export function demoSnapshots(): { baseline: Snapshot; current: Snapshot; story: string[] } {
  const base = baselineResources();
  const now = structuredClone(base);
  for (const r of now) {
    r.etag = `W/"${r.name?.length.toString(16)}b7"`;
    (r.systemData as Json).lastModifiedAt = '2026-11-21T06:00:00Z';
    if (r.properties && 'lastModifiedTimeUtc' in r.properties)
      r.properties.lastModifiedTimeUtc = '2026-11-21T06:00:03.000Z';
  }
  const edit = (name: string, by: string, at: string, byType = 'User') => {
    const r = find(now, name);
    Object.assign(r.systemData, {
      lastModifiedBy: by,
      lastModifiedByType: byType,
      lastModifiedAt: at,
    });
    return r;
  };
  // A person opened SSH to the world in the portal while debugging.
  const nsg = edit('nsg-web-prod', 'ops-user@contoso.com', '2026-11-21T09:14:00Z');
  const rules = nsg.properties.securityRules as Array<{ name: string; properties: Json }>;
  const ssh = rules.find((x) => x.name === 'allow-ssh');
  if (ssh) ssh.properties.sourceAddressPrefix = '*';
  rules.reverse(); // the portal returns rules in its own order: not drift
  // Someone made a log container public "for a minute".
  find(now, 'stprodlogs01').properties.allowBlobPublicAccess = true;
  edit('stprodlogs01', 'dev-lead@contoso.com', '2026-11-21T09:31:00Z');
  // A hotfix resized an API VM by hand and never landed in the template.
  (find(now, 'vm-api-02').properties.hardwareProfile as Json).vmSize = 'Standard_D16s_v5';
  edit('vm-api-02', 'oncall@contoso.com', '2026-11-21T09:40:00Z');
  find(now, 'vm-api-02').properties.provisioningState = 'Updating';
  // Finance re-tagged three resources.
  for (const name of ['stproddata01', 'log-prod', 'appi-prod']) {
    find(now, name).tags.costCenter = '4200';
    edit(name, 'finance-bot@contoso.com', '2026-11-21T09:05:00Z', 'Application');
  }
  // A debug public IP appeared.
  now.push({
    ...structuredClone(find(base, 'pip-web-prod')),
    id: `${SUB}/resourceGroups/rg-web-prod/providers/Microsoft.Network/publicIPAddresses/pip-debug-01`,
    name: 'pip-debug-01',
    systemData: {
      createdBy: 'ops-user@contoso.com',
      createdByType: 'User',
      createdAt: '2026-11-21T09:16:00Z',
      lastModifiedBy: 'ops-user@contoso.com',
      lastModifiedByType: 'User',
      lastModifiedAt: '2026-11-21T09:16:00Z',
    },
  });
  // The collector's identity lost read access to site config: that one is unknown, not removed.
  const configId = find(base, 'web').id;
  const current: Snapshot = {
    schemaVersion: 1,
    scope: 'demo',
    collectedAt: CURRENT_AT,
    source: { kind: 'demo', description: 'demo estate after the change window' },
    complete: false,
    resources: now.filter((r) => r.id !== configId),
    errors: [
      {
        id: configId,
        message: '403 on Microsoft.Web/sites/config (needs Microsoft.Web/sites/config/list/action)',
        status: 403,
      },
    ],
  };
  const baseline: Snapshot = {
    schemaVersion: 1,
    scope: 'demo',
    collectedAt: BASELINE_AT,
    source: {
      kind: 'pipeline',
      description: 'recorded by pipeline infra-deploy',
      pipeline: { definition: 'infra-deploy', runId: '4411', commit: '9e1c2f0' },
    },
    complete: true,
    resources: base,
    errors: [],
  };
  const story = [
    'baseline: 24 resources recorded by pipeline infra-deploy run 4411 (2026-11-20 18:02)',
    'change window 2026-11-21 09:00–10:00: a portal edit, a public container, a hand resize, finance re-tags, a debug IP; Azure rewrote etags, states and timestamps everywhere',
  ];
  return { baseline, current, story };
}
