import type { ArmResource } from '../model/resource.js';

/** The demo's subscription: a made-up id in a real GUID shape. */
export const DEMO_SUBSCRIPTION = 'c0ffee00-d1f7-4a7c-9e55-000000000042';
const SUB = `/subscriptions/${DEMO_SUBSCRIPTION}`;
/** When the pipeline recorded the demo's baseline. */
export const BASELINE_AT = '2026-11-20T18:02:00Z';

type Json = Record<string, unknown>;

function resource(rg: string, type: string, name: string, extra: Json = {}): ArmResource {
  return {
    id: `${SUB}/resourceGroups/${rg}/providers/${type}/${name}`,
    name,
    type,
    location: 'westeurope',
    tags: { env: 'prod', owner: 'platform-team', costCenter: '4100' },
    etag: `W/"${name.length.toString(16)}a1"`,
    systemData: {
      createdBy: 'infra-deploy@contoso.com',
      createdByType: 'Application',
      createdAt: '2026-03-02T08:00:00Z',
      lastModifiedBy: 'infra-deploy@contoso.com',
      lastModifiedByType: 'Application',
      lastModifiedAt: BASELINE_AT,
    },
    ...extra,
  };
}

const rule = (name: string, priority: number, port: string, source: string, access = 'Allow') => ({
  name,
  etag: 'W/"r1"',
  properties: {
    provisioningState: 'Succeeded',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: port,
    sourceAddressPrefix: source,
    destinationAddressPrefix: '*',
    access,
    priority,
    direction: 'Inbound',
  },
});

/** A locked-down StorageV2 account, as the platform team's template writes them. */
function storageAccount(rg: string, name: string, sku: string, extra: Json = {}): ArmResource {
  return resource(rg, 'Microsoft.Storage/storageAccounts', name, {
    kind: 'StorageV2',
    sku: { name: sku, tier: 'Standard' },
    properties: {
      provisioningState: 'Succeeded',
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [] },
      creationTime: '2026-03-02T08:00:00Z',
      ...extra,
    },
  });
}

const idOf = (rg: string, type: string, name: string) =>
  `${SUB}/resourceGroups/${rg}/providers/${type}/${name}`;

/**
 * An API VM with its NIC (in the web subnet, which the web NSG guards) and OS disk, as a template
 * deploys them; the first VM's NIC carries the web public IP.
 */
function apiVm(rg: string, n: number): ArmResource[] {
  const name = `vm-api-0${n}`;
  return [
    resource(rg, 'Microsoft.Compute/virtualMachines', name, {
      properties: {
        vmId: `a1b2c3d4-000${n}-4000-8000-00000000000${n}`,
        provisioningState: 'Succeeded',
        hardwareProfile: { vmSize: 'Standard_D4s_v5' },
        storageProfile: {
          osDisk: {
            osType: 'Linux',
            createOption: 'FromImage',
            managedDisk: { id: idOf(rg, 'Microsoft.Compute/disks', `disk-${name}-os`) },
          },
        },
        networkProfile: {
          networkInterfaces: [
            { id: idOf(rg, 'Microsoft.Network/networkInterfaces', `nic-${name}`) },
          ],
        },
        osProfile: {
          computerName: name,
          adminUsername: 'azureops',
          linuxConfiguration: { disablePasswordAuthentication: true },
        },
        timeCreated: '2026-03-02T08:10:00Z',
      },
    }),
    resource(rg, 'Microsoft.Network/networkInterfaces', `nic-${name}`, {
      properties: {
        provisioningState: 'Succeeded',
        enableAcceleratedNetworking: true,
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              privateIPAllocationMethod: 'Dynamic',
              privateIPAddress: `10.10.1.${3 + n}`,
              subnet: {
                id: `${idOf(rg, 'Microsoft.Network/virtualNetworks', 'vnet-prod')}/subnets/snet-web`,
              },
              ...(n === 1
                ? {
                    publicIPAddress: {
                      id: idOf(rg, 'Microsoft.Network/publicIPAddresses', 'pip-web-prod'),
                    },
                  }
                : {}),
            },
          },
        ],
      },
    }),
    resource(rg, 'Microsoft.Compute/disks', `disk-${name}-os`, {
      sku: { name: 'Premium_LRS' },
      properties: {
        diskSizeGB: 64,
        provisioningState: 'Succeeded',
        timeCreated: '2026-03-02T08:10:00Z',
        diskState: 'Attached',
      },
    }),
  ];
}

/** The sample estate as the last deployment left it: 24 resources across three resource groups. */
export function baselineResources(): ArmResource[] {
  const web = 'rg-web-prod';
  const data = 'rg-data-prod';
  const ops = 'rg-ops-prod';
  return [
    resource(web, 'Microsoft.Network/networkSecurityGroups', 'nsg-web-prod', {
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: '7c1e0b4e-1111-4a4a-9b9b-0c0c0c0c0c01',
        securityRules: [
          rule('allow-https', 100, '443', 'Internet'),
          rule('allow-ssh', 110, '22', '10.10.0.4/32'),
          rule('deny-all-inbound', 4096, '*', '*', 'Deny'),
        ],
      },
    }),
    resource(web, 'Microsoft.Network/virtualNetworks', 'vnet-prod', {
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
        subnets: [
          {
            name: 'snet-web',
            properties: {
              addressPrefix: '10.10.1.0/24',
              provisioningState: 'Succeeded',
              networkSecurityGroup: {
                id: idOf(web, 'Microsoft.Network/networkSecurityGroups', 'nsg-web-prod'),
              },
            },
          },
          {
            name: 'snet-data',
            properties: {
              addressPrefix: '10.10.2.0/24',
              provisioningState: 'Succeeded',
              privateEndpointNetworkPolicies: 'Disabled',
            },
          },
        ],
      },
    }),
    resource(web, 'Microsoft.Network/publicIPAddresses', 'pip-web-prod', {
      sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        provisioningState: 'Succeeded',
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        ipAddress: '20.86.10.4',
        idleTimeoutInMinutes: 4,
      },
    }),
    resource(web, 'Microsoft.Web/serverfarms', 'plan-web-prod', {
      sku: { name: 'P1v3', tier: 'PremiumV3', capacity: 2 },
      kind: 'linux',
      properties: { reserved: true, provisioningState: 'Succeeded' },
    }),
    resource(web, 'Microsoft.Web/sites', 'app-web-prod', {
      kind: 'app,linux',
      properties: {
        state: 'Running',
        httpsOnly: true,
        clientCertEnabled: false,
        serverFarmId: `${SUB}/resourceGroups/${web}/providers/Microsoft.Web/serverfarms/plan-web-prod`,
        lastModifiedTimeUtc: '2026-11-20T18:01:12.000Z',
        defaultHostName: 'app-web-prod.azurewebsites.net',
      },
    }),
    resource(web, 'Microsoft.Web/sites/config', 'app-web-prod/web', {
      id: `${SUB}/resourceGroups/${web}/providers/Microsoft.Web/sites/app-web-prod/config/web`,
      name: 'web',
      properties: {
        ftpsState: 'FtpsOnly',
        minTlsVersion: '1.2',
        http20Enabled: true,
        alwaysOn: true,
        linuxFxVersion: 'NODE|20-lts',
      },
    }),
    ...[1, 2].flatMap((n) => apiVm(web, n)),
    storageAccount(data, 'stprodlogs01', 'Standard_ZRS', {
      primaryEndpoints: { blob: 'https://stprodlogs01.blob.core.windows.net/' },
    }),
    storageAccount(data, 'stproddata01', 'Standard_GRS'),
    resource(data, 'Microsoft.KeyVault/vaults', 'kv-prod-01', {
      properties: {
        tenantId: '72f988bf-0000-0000-0000-000000000000',
        sku: { family: 'A', name: 'standard' },
        enableSoftDelete: true,
        enablePurgeProtection: true,
        enableRbacAuthorization: true,
        publicNetworkAccess: 'Disabled',
        vaultUri: 'https://kv-prod-01.vault.azure.net/',
        provisioningState: 'Succeeded',
      },
    }),
    resource(data, 'Microsoft.Sql/servers', 'sql-prod-01', {
      properties: {
        administratorLogin: 'sqladmin',
        version: '12.0',
        state: 'Ready',
        publicNetworkAccess: 'Disabled',
        minimalTlsVersion: '1.2',
        fullyQualifiedDomainName: 'sql-prod-01.database.windows.net',
      },
    }),
    resource(data, 'Microsoft.Sql/servers/databases', 'sql-prod-01/orders', {
      id: `${SUB}/resourceGroups/${data}/providers/Microsoft.Sql/servers/sql-prod-01/databases/orders`,
      name: 'orders',
      sku: { name: 'S2', tier: 'Standard' },
      properties: {
        status: 'Online',
        maxSizeBytes: 268435456000,
        creationDate: '2026-03-02T08:20:00Z',
      },
    }),
    resource(ops, 'Microsoft.OperationalInsights/workspaces', 'log-prod', {
      properties: {
        provisioningState: 'Succeeded',
        retentionInDays: 90,
        sku: { name: 'PerGB2018' },
        customerId: 'd4d4d4d4-0000-4000-8000-000000000000',
      },
    }),
    resource(ops, 'Microsoft.Insights/components', 'appi-prod', {
      kind: 'web',
      properties: {
        Application_Type: 'web',
        RetentionInDays: 90,
        IngestionMode: 'LogAnalytics',
        provisioningState: 'Succeeded',
      },
    }),
    resource(ops, 'Microsoft.ContainerService/managedClusters', 'aks-prod', {
      identity: {
        type: 'SystemAssigned',
        principalId: 'e5e5e5e5-0000-4000-8000-000000000001',
        tenantId: '72f988bf-0000-0000-0000-000000000000',
      },
      properties: {
        provisioningState: 'Succeeded',
        kubernetesVersion: '1.31',
        currentKubernetesVersion: '1.31.2',
        enableRBAC: true,
        agentPoolProfiles: [
          {
            name: 'system',
            count: 3,
            vmSize: 'Standard_D4s_v5',
            mode: 'System',
            enableAutoScaling: false,
            currentOrchestratorVersion: '1.31.2',
            nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202611.01.0',
          },
        ],
      },
    }),
    resource(ops, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'id-deploy-prod', {
      properties: {
        principalId: 'f6f6f6f6-0000-4000-8000-000000000001',
        clientId: 'f6f6f6f6-0000-4000-8000-000000000002',
        tenantId: '72f988bf-0000-0000-0000-000000000000',
      },
    }),
    resource(ops, 'Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net', {
      location: 'global',
      properties: { provisioningState: 'Succeeded', numberOfRecordSets: 2 },
    }),
    resource(ops, 'Microsoft.Automation/automationAccounts', 'aa-prod', {
      properties: {
        sku: { name: 'Basic' },
        publicNetworkAccess: false,
        state: 'Ok',
        creationTime: '2026-03-02T08:00:00Z',
        lastModifiedTime: BASELINE_AT,
      },
    }),
    resource(ops, 'Microsoft.Insights/actionGroups', 'ag-platform-oncall', {
      location: 'global',
      properties: {
        groupShortName: 'oncall',
        enabled: true,
        emailReceivers: [
          {
            name: 'platform',
            emailAddress: 'platform-oncall@contoso.com',
            useCommonAlertSchema: true,
          },
        ],
      },
    }),
  ];
}
