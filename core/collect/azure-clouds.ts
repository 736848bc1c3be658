/** The Azure clouds driftwatch knows by name. */
export const AZURE_CLOUD_NAMES = [
  'AzurePublicCloud',
  'AzureChinaCloud',
  'AzureUSGovernment',
] as const;
/** A cloud name as the config file and `az cloud list` spell it. */
export type AzureCloudName = (typeof AZURE_CLOUD_NAMES)[number];

/** Where the collectors send requests and get tokens. */
export interface AzureEndpoints {
  /** ARM, e.g. `https://management.azure.com`. */
  resourceManager: string;
  /** Resource Graph lives under ARM (`/providers/Microsoft.ResourceGraph/resources`) unless proxied. */
  resourceGraph: string;
  /** Entra ID authority host, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Token audience; stays the cloud's ARM URL when ARM is reached through a proxy. */
  audience: string;
}

/** Public endpoints per cloud (learn.microsoft.com, "Azure China 21Vianet" and "Azure Government" developer guides). */
export const AZURE_CLOUDS: Record<AzureCloudName, AzureEndpoints> = {
  AzurePublicCloud: {
    resourceManager: 'https://management.azure.com',
    resourceGraph: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    audience: 'https://management.azure.com',
  },
  AzureChinaCloud: {
    resourceManager: 'https://management.chinacloudapi.cn',
    resourceGraph: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    audience: 'https://management.chinacloudapi.cn',
  },
  AzureUSGovernment: {
    resourceManager: 'https://management.usgovcloudapi.net',
    resourceGraph: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    audience: 'https://management.usgovcloudapi.net',
  },
};

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * The endpoints for a cloud with explicit overrides (private or proxied setups). A Resource Graph
 * or audience override defaults to the ARM override; environment variables win over config.
 *
 * @example
 * resolveEndpoints({ cloud: 'AzureChinaCloud' }, process.env).resourceManager
 * // 'https://management.chinacloudapi.cn'
 */
export function resolveEndpoints(
  config: { cloud?: AzureCloudName; endpoints?: Partial<AzureEndpoints> },
  env: Record<string, string | undefined> = {},
): AzureEndpoints {
  const base = AZURE_CLOUDS[config.cloud ?? 'AzurePublicCloud'];
  const resourceManager = trim(
    env.DRIFTWATCH_ARM_ENDPOINT || config.endpoints?.resourceManager || base.resourceManager,
  );
  const custom = resourceManager !== base.resourceManager;
  return {
    resourceManager,
    resourceGraph: trim(
      env.DRIFTWATCH_RESOURCE_GRAPH_ENDPOINT ||
        config.endpoints?.resourceGraph ||
        (custom ? resourceManager : base.resourceGraph),
    ),
    authorityHost: trim(
      env.AZURE_AUTHORITY_HOST || config.endpoints?.authorityHost || base.authorityHost,
    ),
    audience: trim(config.endpoints?.audience || base.audience),
  };
}

/** True for an authority host that is not one of the named clouds' (instance discovery would fail). */
export function isCustomAuthority(authorityHost: string): boolean {
  return !Object.values(AZURE_CLOUDS).some((c) => c.authorityHost === trim(authorityHost));
}
