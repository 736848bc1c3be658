import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A subscription id (GUID). */
export const SubscriptionId = z
  .string()
  .regex(GUID, 'expected a subscription id such as 00000000-0000-0000-0000-000000000000');

/** Resource group names: 1–90 letters, digits, `_`, `-`, `.`, `(`, `)`; not ending in a period. */
export const RESOURCE_GROUP_NAME = /^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$/u;
const RESOURCE_GROUP_HELP =
  'a resource group name: 1–90 letters, digits, "_", "-", ".", "(", ")", not ending in "."';

/** A resource group name as ARM allows it. */
export const ResourceGroupName = z
  .string()
  .regex(RESOURCE_GROUP_NAME, `expected ${RESOURCE_GROUP_HELP}`);

/** A named scope: what `driftwatch scan prod`, `/drift scan prod` and the task refer to. */
export const ScopeConfig = z.strictObject({
  subscriptions: z.array(SubscriptionId).min(1, 'list at least one subscription id'),
  resourceGroups: z.array(ResourceGroupName).optional(),
  includeTypes: z
    .array(
      z
        .string()
        .regex(/^[\w.-]+\/[\w./-]+$/, 'expected a type such as Microsoft.Storage/storageAccounts'),
    )
    .optional(),
  excludeTypes: z
    .array(
      z
        .string()
        .regex(/^[\w.-]+\/[\w./-]+$/, 'expected a type such as Microsoft.Storage/storageAccounts'),
    )
    .optional(),
  tags: z.record(z.string(), z.string()).optional(),
  via: z.enum(['graph', 'arm']).optional(),
  description: z.string().optional(),
});
export type ScopeConfig = z.infer<typeof ScopeConfig>;

/** Scope names are used in chat commands and store keys: keep them simple. */
export const ScopeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'scope names use letters, digits, ".", "_" and "-"');
