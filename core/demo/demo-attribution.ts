import type {
  ChangeHistorySource,
  DeploymentSource,
  ResourceChangeRecord,
} from '../attribution/attribution-sources.js';
import { DEMO_SUBSCRIPTION } from './demo-estate.js';

const RG = (name: string) => `/subscriptions/${DEMO_SUBSCRIPTION}/resourceGroups/${name}/providers`;

/** What Azure's change history says about the demo's change window (as Resource Graph would). */
const CHANGES: ResourceChangeRecord[] = [
  {
    resourceId: `${RG('rg-web-prod')}/Microsoft.Network/networkSecurityGroups/nsg-web-prod`,
    changedAt: '2026-11-21T09:14:00Z',
    changeType: 'Update',
    changedBy: 'ops-user@contoso.com',
    clientType: 'Azure Portal',
    operation: 'Microsoft.Network/networkSecurityGroups/securityRules/write',
  },
  {
    resourceId: `${RG('rg-web-prod')}/Microsoft.Network/publicIPAddresses/pip-debug-01`,
    changedAt: '2026-11-21T09:16:00Z',
    changeType: 'Create',
    changedBy: 'ops-user@contoso.com',
    clientType: 'Azure Portal',
    operation: 'Microsoft.Network/publicIPAddresses/write',
  },
  {
    resourceId: `${RG('rg-data-prod')}/Microsoft.Storage/storageAccounts/stprodlogs01`,
    changedAt: '2026-11-21T09:31:00Z',
    changeType: 'Update',
    changedBy: 'dev-lead@contoso.com',
    clientType: 'Azure CLI',
    operation: 'Microsoft.Storage/storageAccounts/write',
  },
  {
    resourceId: `${RG('rg-web-prod')}/Microsoft.Compute/virtualMachines/vm-api-02`,
    changedAt: '2026-11-21T09:40:00Z',
    changeType: 'Update',
    changedBy: 'oncall@contoso.com',
    clientType: 'Azure Portal',
    operation: 'Microsoft.Compute/virtualMachines/write',
  },
];

/** The demo's stand-in for Resource Graph `resourcechanges`. */
export const demoChangeHistory: ChangeHistorySource = {
  async listChanges({ resourceIds, from, to }) {
    const wanted = new Set(resourceIds.map((id) => id.toLowerCase()));
    const changes = CHANGES.filter(
      (c) =>
        wanted.has(c.resourceId.toLowerCase()) &&
        Date.parse(c.changedAt) >= from.getTime() &&
        Date.parse(c.changedAt) <= to.getTime(),
    );
    return { changes, errors: [] };
  },
};

/** The demo's stand-in for Azure DevOps: one tagging pipeline ran in the window. */
export const demoDeployments: DeploymentSource = {
  async listDeployments({ from, to }) {
    const run = {
      pipeline: 'finance-tagging',
      runId: '4419',
      url: 'https://dev.azure.com/contoso/platform/_build/results?buildId=4419',
      environment: 'prod',
      startedAt: '2026-11-21T09:02:00Z',
      finishedAt: '2026-11-21T09:06:00Z',
      result: 'succeeded',
      targets: [
        { subscriptionId: DEMO_SUBSCRIPTION, resourceGroup: 'rg-data-prod' },
        { subscriptionId: DEMO_SUBSCRIPTION, resourceGroup: 'rg-ops-prod' },
      ],
    };
    const inWindow =
      Date.parse(run.startedAt) <= to.getTime() && Date.parse(run.finishedAt) >= from.getTime();
    return { deployments: inWindow ? [run] : [], partial: false, errors: [] };
  },
};
