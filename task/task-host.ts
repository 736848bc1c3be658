/**
 * What the task needs from the agent, as a narrow port. `createTaskLibHost` (task-lib-host.ts)
 * implements it over azure-pipelines-task-lib; unit tests pass a fake built from plain records.
 */
export type TaskResultName = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

export interface TaskHost {
  /** An input's value, trimmed; undefined when empty. */
  input(name: string): string | undefined;
  /** A secret input, read without task-lib's debug line that would print its value. */
  secretInput(name: string): string | undefined;
  /** A pipeline variable (`Build.BuildId`), undefined when empty. */
  variable(name: string): string | undefined;
  /**
   * A pipeline variable that may hold a secret (`DRIFTWATCH_REDIS_URL`), read without task-lib's
   * debug line that would print its value: register it with `setSecret` before logging anything.
   */
  secretVariable(name: string): string | undefined;
  endpointUrl(id: string): string | undefined;
  endpointScheme(id: string): string | undefined;
  /** An authorization parameter (`serviceprincipalid`); keys are case-insensitive. */
  endpointAuthParam(id: string, key: string): string | undefined;
  /** A data parameter (`subscriptionId`); keys are case-insensitive. */
  endpointDataParam(id: string, key: string): string | undefined;
  /** The agent's proxy (Agent.ProxyUrl with credentials, Agent.ProxyBypassList regexes), if any. */
  proxy(): { url: string; password?: string; bypass: string[] } | undefined;
  /** Masks a value in the agent's logs (`##vso[task.setsecret]`). */
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  issue(kind: 'error' | 'warning', message: string): void;
  log(line: string): void;
  debug(message: string): void;
  uploadSummary(path: string): void;
  addAttachment(type: string, name: string, path: string): void;
  publishJUnit(path: string, runTitle: string): void;
  uploadArtifact(containerFolder: string, path: string, artifactName: string): void;
  setResult(result: TaskResultName, message: string): void;
  /** A localised message from task.json's `messages`. */
  loc(key: string, ...args: Array<string | number>): string;
}
