import { z } from 'zod';
import { ApiConfig } from './sections/api-config.js';
import { AzureConfig } from './sections/azure-config.js';
import { ChatConfig } from './sections/chat-config.js';
import { DevOpsConfig } from './sections/devops-config.js';
import { IgnoreRuleConfig, SeverityConfig } from './sections/engine-config.js';
import { ImpactConfig } from './sections/impact-config.js';
import { RemediationConfig } from './sections/remediation-config.js';
import { ScopeConfig, ScopeName } from './sections/scope-config.js';
import { StoreConfig } from './sections/store-config.js';

/**
 * The whole configuration file (`driftwatch.config.yaml`, `.yml` or `.json`). Each section lives
 * in `sections/` beside this file; unknown keys are errors everywhere.
 */
export const DriftwatchConfig = z.strictObject({
  store: StoreConfig.default({}),
  scopes: z.record(ScopeName, ScopeConfig).default({}),
  azure: AzureConfig.default({}),
  ignore: z.array(IgnoreRuleConfig).default([]),
  severity: SeverityConfig.default({ rules: [], overrides: {} }),
  devops: DevOpsConfig.optional(),
  chat: ChatConfig.optional(),
  remediation: RemediationConfig.optional(),
  impact: ImpactConfig.optional(),
  api: ApiConfig.optional(),
});
export type DriftwatchConfig = z.infer<typeof DriftwatchConfig>;
