import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeFindings, attributionWindow } from '../../core/attribution/attribute-findings.js';
import type {
  ChangeHistorySource,
  ResourceChangeRecord,
} from '../../core/attribution/attribution-sources.js';
import { DevOpsConfig } from '../../core/config/sections/devops-config.js';
import { createDeploymentSource } from '../../core/devops/create-deployment-source.js';
import type { Finding, Report } from '../../core/model/report.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { renderText } from '../../core/report/render-text.js';
import { contosoSeed, fakeTime, openSimSession } from '../devops/devops-test-kit.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const id = (rg: string, type: string, name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/${type}/${name}`;
const VM = id('rg-api-prod', 'Microsoft.Compute/virtualMachines', 'vm-api-02');
const NSG = id('rg-network-prod', 'Microsoft.Network/networkSecurityGroups', 'nsg-web-prod');
const STORAGE = id('rg-data', 'Microsoft.Storage/storageAccounts', 'stprodlogs01');
const VAULT = id('rg-data', 'Microsoft.KeyVault/vaults', 'kv-prod');
const GONE = id('rg-data', 'Microsoft.Web/sites', 'app-unreadable');

function finding(resourceId: string, change: Finding['change'] = 'modified'): Finding {
  return {
    resourceId,
    resourceType: 'x',
    resourceName: resourceId.split('/').at(-1) as string,
    change,
    severity: 'high',
    fingerprint: resourceId,
    rule: 'r',
    why: 'w',
    changes: [],
  };
}

function report(from: string, to: string): Report {
  const findings = [
    finding(VM),
    finding(NSG),
    finding(STORAGE),
    finding(VAULT),
    finding(GONE, 'unknown'),
  ];
  return {
    schemaVersion: 1,
    generatedAt: to,
    baseline: { resources: 5, collectedAt: from, complete: true },
    current: { resources: 5, collectedAt: to, complete: true },
    complete: true,
    summary: {
      findings: 5,
      byChange: { added: 0, removed: 0, modified: 4, unknown: 1 },
      bySeverity: { critical: 0, high: 5, medium: 0, low: 0, info: 0 },
      maxSeverity: 'high',
      suppressed: { total: 0, byRule: {} },
      accepted: 0,
    },
    findings,
  };
}

/** Resource Graph `resourcechanges` as a port fake: answers from a fixed list, filtered like the service. */
function fakeChangeHistory(records: ResourceChangeRecord[]): ChangeHistorySource {
  return {
    async listChanges({ resourceIds, from, to }) {
      const ids = new Set(resourceIds.map((r) => r.toLowerCase()));
      const changes = records.filter(
        (c) =>
          ids.has(c.resourceId.toLowerCase()) &&
          Date.parse(c.changedAt) >= from.getTime() &&
          Date.parse(c.changedAt) <= to.getTime(),
      );
      return { changes, errors: [] };
    },
  };
}

const changes = fakeChangeHistory([
  {
    resourceId: NSG.toLowerCase(),
    changedAt: '2026-11-21T09:14:00Z',
    changeType: 'Update',
    changedBy: 'ops-user@contoso.com',
    clientType: 'Azure Portal',
    operation: 'Microsoft.Network/networkSecurityGroups/write',
  },
  {
    resourceId: NSG,
    changedAt: '2026-11-20T07:00:00Z',
    changedBy: 'older@contoso.com',
    clientType: 'Azure CLI',
  },
]);
const resources = [
  {
    id: STORAGE,
    systemData: {
      lastModifiedBy: 'dev4@contoso.com',
      lastModifiedByType: 'User',
      lastModifiedAt: '2026-11-21T10:02:00Z',
    },
  },
];
const config = DevOpsConfig.parse({
  orgUrl: 'http://unused.invalid/contoso',
  targets: [{ pipeline: 'api-deploy', environment: 'prod', resourceGroups: ['rg-api-prod'] }],
});

describe('attributeFindings', () => {
  let sim: DevOpsSim;
  beforeEach(async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  const source = (token = 'sim-pat') =>
    createDeploymentSource(config, {
      env: { AZURE_DEVOPS_PAT: token },
      openSession: (o) => openSimSession(sim, { auth: o.auth }, fakeTime()),
    });

  it('names the deployment, else the actor Azure recorded, else a likely manual change', async () => {
    const input = report('2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z');

    const out = await attributeFindings(input, {
      deployments: source(),
      changes,
      resources,
      window: attributionWindow(input),
    });

    expect(out.findings.map((f) => f.attribution)).toEqual([
      {
        kind: 'deployment',
        summary: 'pipeline "api-deploy" run 4420 to prod, 2026-11-21 09:31 UTC',
        at: '2026-11-21T09:31:00.000Z',
        run: {
          pipeline: 'api-deploy',
          id: '4420',
          url: 'https://dev.azure.com/contoso/platform/_build/results?buildId=4420',
          environment: 'prod',
        },
      },
      {
        kind: 'actor',
        summary:
          'ops-user@contoso.com via Azure Portal, 2026-11-21 09:14 UTC (no deployment in window)',
        actor: 'ops-user@contoso.com',
        clientType: 'Azure Portal',
        operation: 'Microsoft.Network/networkSecurityGroups/write',
        at: '2026-11-21T09:14:00Z',
      },
      {
        kind: 'actor',
        summary: 'dev4@contoso.com (User), 2026-11-21 10:02 UTC (no deployment in window)',
        actor: 'dev4@contoso.com',
        clientType: 'User',
        at: '2026-11-21T10:02:00.000Z',
      },
      { kind: 'manual', summary: 'no deployment in the window — likely a manual change' },
      undefined,
    ]);
  });

  it('prefers the actor Azure recorded when the change came well after the deployment ran', async () => {
    const input = report('2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z');
    const at = (changedAt: string) =>
      fakeChangeHistory([
        { resourceId: VM, changedAt, changedBy: 'oncall@contoso.com', clientType: 'Azure Portal' },
      ]);

    const later = await attributeFindings(input, {
      deployments: source(),
      changes: at('2026-11-21T11:30:00Z'),
      window: attributionWindow(input),
    });
    const during = await attributeFindings(input, {
      deployments: source(),
      changes: at('2026-11-21T09:32:00Z'),
      window: attributionWindow(input),
    });

    expect(later.findings[0]?.attribution).toMatchObject({
      kind: 'actor',
      actor: 'oncall@contoso.com',
      summary:
        'oncall@contoso.com via Azure Portal, 2026-11-21 11:30 UTC (outside pipeline "api-deploy" run 4420, which also targeted it)',
    });
    expect(during.findings[0]?.attribution).toMatchObject({
      kind: 'deployment',
      run: { id: '4420' },
    });
  });

  it('shows in the JSON, text and Markdown reports', async () => {
    const input = report('2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z');

    const out = await attributeFindings(input, {
      deployments: source(),
      changes,
      resources,
      window: attributionWindow(input),
    });

    const line = 'pipeline "api-deploy" run 4420 to prod, 2026-11-21 09:31 UTC';
    expect(JSON.parse(JSON.stringify(out)).findings[0].attribution.summary).toBe(line);
    expect(renderText(out, { color: false })).toContain(line);
    expect(renderMarkdown(out)).toContain(line);
    expect(renderText(out, { color: false })).toContain(
      'no deployment in the window — likely a manual change',
    );
  });

  it('matches a deployment by resource group name when nothing is declared for it', async () => {
    const input = report('2026-11-15T00:00:00Z', '2026-11-16T00:00:00Z');

    const out = await attributeFindings(input, {
      deployments: source(),
      window: attributionWindow(input),
    });

    expect(out.findings[1]?.attribution).toEqual({
      kind: 'deployment',
      summary:
        'pipeline "network-deploy" run 77 to rg-network-prod, 2026-11-15 07:01 UTC (matched by resource group name)',
      at: '2026-11-15T07:01:00.000Z',
      run: {
        pipeline: 'network-deploy',
        id: '77',
        url: 'https://dev.azure.com/contoso/platform/_build/results?buildId=77',
        environment: 'rg-network-prod',
      },
    });
    // That deployment's targets are undeclared, so it may have touched the vault too.
    expect(out.findings[3]?.attribution).toEqual({
      kind: 'unknown',
      summary:
        'cause unknown: no deployment known to target it, but 1 deployment with unmapped targets in the window: pipeline "network-deploy" run 77 to rg-network-prod (say what they deploy to in devops.targets)',
    });
  });

  it('says unknown, never manual, when Azure DevOps could not be read', async () => {
    const input = report('2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z');

    const out = await attributeFindings(input, {
      deployments: source('revoked-pat-000000'),
      changes,
      window: attributionWindow(input),
    });

    expect(out.findings.map((f) => f.attribution?.kind)).toEqual([
      'unknown',
      'actor',
      'unknown',
      'unknown',
      undefined,
    ]);
    expect(out.findings[3]?.attribution?.summary).toMatch(
      /^cause unknown: deployments could not all be read \(Azure DevOps could not be read: Azure DevOps at http:\/\/127\.0\.0\.1:\d+\/contoso refused the credentials \(401\)/,
    );
    expect(out.findings[1]?.attribution?.summary).toMatch(
      /^ops-user@contoso.com via Azure Portal, 2026-11-21 09:14 UTC \(deployments not checked: /,
    );
    expect(JSON.stringify(out)).not.toContain('revoked-pat-000000');
  });

  it('says unknown when Azure DevOps is not configured', async () => {
    const input = report('2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z');

    const out = await attributeFindings(input, { window: attributionWindow(input) });

    expect(out.findings[3]?.attribution).toEqual({
      kind: 'unknown',
      summary:
        'cause unknown: Azure recorded no change in the window, and Azure DevOps is not configured to check deployments',
    });
  });
});
