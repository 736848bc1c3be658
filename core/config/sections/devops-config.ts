import { z } from 'zod';

/** Azure DevOps discovery and attribution. (Issue 4 owns this section.) */
export const DevOpsConfig = z.strictObject({
  orgUrl: z.url().optional(),
});
export type DevOpsConfig = z.infer<typeof DevOpsConfig>;
