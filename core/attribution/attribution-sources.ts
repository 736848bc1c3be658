/**
 * Ports the attribution step reads from. Azure DevOps discovery implements
 * {@link DeploymentSource}; the Resource Graph collector implements {@link ChangeHistorySource}
 * (`resourcechanges`). Both return what they could not read explicitly, never an empty "nothing".
 */

/** One change Azure recorded for a resource (Resource Graph `resourcechanges`). */
export interface ResourceChangeRecord {
  resourceId: string;
  changedAt: string;
  changeType?: 'Create' | 'Update' | 'Delete' | (string & {});
  /** UPN, app id or service principal name, as Azure reports it. */
  changedBy?: string;
  /** e.g. "Azure Portal", "Azure CLI", "ARM Template", "Windows Azure Tools". */
  clientType?: string;
  /** e.g. "Microsoft.Network/networkSecurityGroups/write". */
  operation?: string;
  /** Property paths Azure says changed, when it says. */
  changedProperties?: string[];
  /**
   * Per changed property, who Azure says made it: `User` (a person or their automation) or
   * `System` (the platform itself). Values are never carried: they may be secrets.
   */
  propertyChanges?: { path: string; category?: 'User' | 'System' | (string & {}) }[];
}

/** Changes Azure recorded for resources in a window; unreadable ids come back in `errors`. */
export interface ChangeHistorySource {
  listChanges(input: {
    resourceIds: readonly string[];
    from: Date;
    to: Date;
    signal?: AbortSignal;
  }): Promise<{ changes: ResourceChangeRecord[]; errors: { id: string; message: string }[] }>;
}

/** A deployment (pipeline run or environment deployment record) and what it targeted. */
export interface DeploymentRecord {
  pipeline: string;
  runId: string;
  url?: string;
  environment?: string;
  startedAt: string;
  finishedAt?: string;
  result?: string;
  commit?: string;
  /** Subscriptions / resource groups this deployment targets (lower-case ids or names). */
  targets: { subscriptionId?: string; resourceGroup?: string }[];
}

/** Deployments overlapping a window; `partial` when not all could be read. */
export interface DeploymentSource {
  listDeployments(input: {
    from: Date;
    to: Date;
    signal?: AbortSignal;
  }): Promise<{ deployments: DeploymentRecord[]; partial: boolean; errors: string[] }>;
}
