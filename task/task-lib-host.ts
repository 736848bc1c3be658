import { join } from 'node:path';
import * as tl from 'azure-pipelines-task-lib';
// getInput and getVariable debug-log every value; the vault and the variable map they read are
// task-lib's own (internal.js).
import * as vault from 'azure-pipelines-task-lib/internal.js';
import type { TaskHost, TaskResultName } from './task-host.js';

const RESULTS: Record<TaskResultName, tl.TaskResult> = {
  Succeeded: tl.TaskResult.Succeeded,
  SucceededWithIssues: tl.TaskResult.SucceededWithIssues,
  Failed: tl.TaskResult.Failed,
};

/**
 * The agent as a {@link TaskHost}, over azure-pipelines-task-lib. `taskDir` holds task.json,
 * whose `messages` (and Strings/resources.resjson for other cultures) task-lib localises.
 */
export function createTaskLibHost(taskDir: string): TaskHost {
  tl.setResourcePath(join(taskDir, 'task.json'), true);
  const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  return {
    input: (name) => blank(tl.getInput(name, false)),
    secretInput: (name) =>
      blank(vault._vault.retrieveSecret(`INPUT_${vault._getVariableKey(name)}`)),
    variable: (name) => blank(tl.getVariable(name)),
    // getVariable debug-logs `name=value`; this is its lookup without that line.
    secretVariable: (name) => {
      const key = vault._getVariableKey(name);
      return blank(
        vault._knownVariableMap[key]?.secret
          ? vault._vault.retrieveSecret(`SECRET_${key}`)
          : process.env[key],
      );
    },
    endpointUrl: (id) => blank(tl.getEndpointUrl(id, true)),
    endpointScheme: (id) =>
      blank(tl.getEndpointAuthorizationScheme(id, true)) ??
      blank(tl.getEndpointAuthorization(id, true)?.scheme),
    // ENDPOINT_AUTH_<id> first: task-lib's per-parameter getter debug-logs the value (secrets too).
    endpointAuthParam: (id, key) =>
      blank(authParameter(tl.getEndpointAuthorization(id, true)?.parameters, key)) ??
      blank(tl.getEndpointAuthorizationParameter(id, key, true)),
    endpointDataParam: (id, key) => blank(tl.getEndpointDataParameter(id, key, true)),
    proxy: () => {
      const config = tl.getHttpProxyConfiguration();
      if (!config?.proxyFormattedUrl) return undefined;
      return {
        url: config.proxyFormattedUrl,
        ...(config.proxyPassword ? { password: config.proxyPassword } : {}),
        bypass: config.proxyBypassHosts ?? [],
      };
    },
    setSecret: (value) => tl.setSecret(value),
    setOutput: (name, value) => tl.setVariable(name, value, false, true),
    // Findings are about the customer's estate, not the task failing: source CustomerScript.
    issue: (kind, message) =>
      kind === 'error'
        ? tl.error(message, tl.IssueSource.CustomerScript)
        : tl.warning(message, tl.IssueSource.CustomerScript),
    log: (line) => console.log(line),
    debug: (message) => tl.debug(message),
    uploadSummary: (path) => tl.uploadSummary(path),
    addAttachment: (type, name, path) => tl.addAttachment(type, name, path),
    publishJUnit: (path, runTitle) =>
      new tl.TestPublisher('JUnit').publish([path], 'false', '', '', runTitle, 'true'),
    uploadArtifact: (folder, path, name) => tl.uploadArtifact(folder, path, name),
    setResult: (result, message) => tl.setResult(RESULTS[result], message, true),
    loc: (key, ...args) => tl.loc(key, ...args),
  };
}

/** ENDPOINT_AUTH_<id> JSON keys are case-insensitive for the agent; match them so. */
function authParameter(parameters: Record<string, string> | undefined, key: string) {
  if (!parameters) return undefined;
  const match = Object.keys(parameters).find((k) => k.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : parameters[match];
}
