/** What a person calls a resource type in one word, singular and plural; workloads first. */
const KINDS: Record<string, { one: string; many: string; workload?: true }> = {
  'microsoft.compute/virtualmachines': { one: 'VM', many: 'VMs', workload: true },
  'microsoft.compute/virtualmachinescalesets': {
    one: 'scale set',
    many: 'scale sets',
    workload: true,
  },
  'microsoft.web/sites': { one: 'app', many: 'apps', workload: true },
  'microsoft.web/sites/slots': { one: 'app slot', many: 'app slots', workload: true },
  'microsoft.containerservice/managedclusters': {
    one: 'AKS cluster',
    many: 'AKS clusters',
    workload: true,
  },
  'microsoft.containerinstance/containergroups': {
    one: 'container group',
    many: 'container groups',
    workload: true,
  },
  'microsoft.app/containerapps': { one: 'container app', many: 'container apps', workload: true },
  'microsoft.sql/servers': { one: 'SQL server', many: 'SQL servers', workload: true },
  'microsoft.sql/servers/databases': { one: 'database', many: 'databases', workload: true },
  'microsoft.network/applicationgateways': {
    one: 'application gateway',
    many: 'application gateways',
    workload: true,
  },
  'microsoft.network/loadbalancers': { one: 'load balancer', many: 'load balancers' },
  'microsoft.network/privateendpoints': { one: 'private endpoint', many: 'private endpoints' },
  'microsoft.network/networkinterfaces': { one: 'NIC', many: 'NICs' },
  'microsoft.network/virtualnetworks/subnets': { one: 'subnet', many: 'subnets' },
  'microsoft.network/publicipaddresses': { one: 'public IP', many: 'public IPs' },
  'microsoft.managedidentity/userassignedidentities': { one: 'identity', many: 'identities' },
  'microsoft.compute/disks': { one: 'disk', many: 'disks' },
};

/** Singular and plural word for a type (`VM`/`VMs`); `resource`/`resources` when unnamed. */
export function kindOf(type: string): { one: string; many: string } {
  return KINDS[type.toLowerCase()] ?? { one: 'resource', many: 'resources' };
}

/** Workloads (VMs, apps, clusters, databases…) are what a blast-radius line names first. */
export function isWorkload(type: string): boolean {
  return KINDS[type.toLowerCase()]?.workload === true;
}

/** How a drifted resource relates to its radius: an NSG guards, a public IP fronts. */
const VERBS: Record<string, string> = {
  'microsoft.network/networksecuritygroups': 'guards',
  'microsoft.network/virtualnetworks/subnets': 'holds',
  'microsoft.network/virtualnetworks': 'holds',
  'microsoft.keyvault/vaults': 'serves',
  'microsoft.network/publicipaddresses': 'fronts',
  'microsoft.web/serverfarms': 'hosts',
  'microsoft.network/routetables': 'routes',
  'microsoft.managedidentity/userassignedidentities': 'is used by',
  'microsoft.network/loadbalancers': 'fronts',
  'microsoft.network/applicationgateways': 'fronts',
};

/** The verb of a blast-radius line for a drifted resource of `type` (`reaches` by default). */
export function verbFor(type: string): string {
  return VERBS[type.toLowerCase()] ?? 'reaches';
}

/** Types whose empty radius is worth saying ("guards nothing in this snapshot"). */
export function saysEmptyRadius(type: string): boolean {
  return type.toLowerCase() in VERBS;
}
