import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import type { TaskHost, TaskResultName } from '../../task/task-host.js';

const MESSAGES = (
  JSON.parse(readFileSync(new URL('../../task/task.json', import.meta.url), 'utf8')) as {
    messages: Record<string, string>;
  }
).messages;

export interface FakeEndpoint {
  url?: string;
  scheme?: string;
  auth?: Record<string, string>;
  data?: Record<string, string>;
}

const lowerKeys = (record: Record<string, string> = {}) =>
  new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));

/** A {@link TaskHost} over plain records that remembers what the task told the agent. */
export function fakeTaskHost(
  options: {
    inputs?: Record<string, string>;
    variables?: Record<string, string>;
    endpoints?: Record<string, FakeEndpoint>;
  } = {},
) {
  const inputs = lowerKeys(options.inputs);
  const variables = lowerKeys(options.variables);
  const recorded = {
    secrets: [] as string[],
    outputs: {} as Record<string, string>,
    issues: [] as Array<{ kind: string; message: string }>,
    results: [] as Array<{ result: TaskResultName; message: string }>,
  };
  const endpoint = (id: string) => options.endpoints?.[id];
  const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const host: TaskHost = {
    input: (name) => blank(inputs.get(name.toLowerCase())),
    secretInput: (name) => blank(inputs.get(name.toLowerCase())),
    variable: (name) => blank(variables.get(name.toLowerCase())),
    secretVariable: (name) => blank(variables.get(name.toLowerCase())),
    endpointUrl: (id) => endpoint(id)?.url,
    endpointScheme: (id) => endpoint(id)?.scheme,
    endpointAuthParam: (id, key) => lowerKeys(endpoint(id)?.auth).get(key.toLowerCase()),
    endpointDataParam: (id, key) => lowerKeys(endpoint(id)?.data).get(key.toLowerCase()),
    proxy: () => undefined,
    setSecret: (value) => recorded.secrets.push(value),
    setOutput: (name, value) => {
      recorded.outputs[name] = value;
    },
    issue: (kind, message) => recorded.issues.push({ kind, message }),
    log: () => undefined,
    debug: () => undefined,
    uploadSummary: () => undefined,
    addAttachment: () => undefined,
    publishJUnit: () => undefined,
    uploadArtifact: () => undefined,
    setResult: (result, message) => recorded.results.push({ result, message }),
    loc: (key, ...args) => format(MESSAGES[key] ?? key, ...args),
  };
  return { host, ...recorded };
}
