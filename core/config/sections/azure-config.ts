import { z } from 'zod';

/**
 * Azure clouds, endpoints and credentials for the collectors. (Issue 3 owns this section.)
 */
export const AzureConfig = z.strictObject({
  cloud: z.enum(['AzurePublicCloud', 'AzureChinaCloud', 'AzureUSGovernment']).optional(),
});
export type AzureConfig = z.infer<typeof AzureConfig>;
