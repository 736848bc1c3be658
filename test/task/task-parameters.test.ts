import { describe, expect, it } from 'vitest';
import { readTaskParameters } from '../../task/task-parameters.js';
import { fakeTaskHost } from './fake-task-host.js';

const SUB = '00000000-0000-4000-8000-000000000001';
const base = {
  azureSubscription: 'conn-1',
  storeConnectionString: 'redis://:p4ssw0rd-x@127.0.0.1:6379',
};
const variables = {
  'System.DefaultWorkingDirectory': '/src',
  'Agent.TempDirectory': '/agent/_temp',
  'Build.BuildId': '4411',
  'Build.BuildNumber': '20261120.3',
  'Build.DefinitionName': 'api-deploy',
  'Build.SourceVersion': '9e1c2f0aa1b2c3d4',
  'System.TeamFoundationCollectionUri': 'https://dev.azure.com/contoso/',
  'System.TeamProject': 'Platform Ops',
};

describe('readTaskParameters', () => {
  it('reads defaults, the pipeline run and masks the store secret', () => {
    const { host, secrets } = fakeTaskHost({ inputs: base, variables });

    const params = readTaskParameters(host);

    expect(params).toEqual({
      connection: 'conn-1',
      command: 'check',
      subscriptions: [],
      resourceGroups: [],
      includeTypes: [],
      excludeTypes: [],
      baseline: { kind: 'store', connectionString: 'redis://:p4ssw0rd-x@127.0.0.1:6379' },
      failOn: 'high',
      mode: 'fail',
      timeoutMs: 600_000,
      reportDirectory: '/agent/_temp/driftwatch',
      publishTestResults: true,
      workingDirectory: '/src',
      run: {
        definition: 'api-deploy',
        runId: '4411',
        runNumber: '20261120.3',
        commit: '9e1c2f0aa1b2c3d4',
        runUrl: 'https://dev.azure.com/contoso/Platform%20Ops/_build/results?buildId=4411',
      },
    });
    expect(secrets).toEqual(['redis://:p4ssw0rd-x@127.0.0.1:6379', 'p4ssw0rd-x']);
  });

  it('splits lists on commas and new lines, and resolves paths against the working directory', () => {
    const { host } = fakeTaskHost({
      inputs: {
        ...base,
        command: 'record',
        scopeName: 'prod',
        subscriptions: `${SUB},\n${SUB}\n`,
        resourceGroups: 'rg-web, rg-data',
        includeTypes: 'Microsoft.Network/networkSecurityGroups',
        baselineSource: 'file',
        baselineFile: 'baselines/prod.json',
        baselineArtifactName: 'drift-baseline',
        configFile: '/src',
        ignoreFile: 'ops/.driftignore',
        failOn: 'critical',
        mode: 'warn',
        timeoutSeconds: '30',
        reportDirectory: 'out',
        publishTestResults: 'false',
      },
      variables,
    });

    const params = readTaskParameters(host);

    expect(params).toMatchObject({
      command: 'record',
      scopeName: 'prod',
      subscriptions: [SUB],
      resourceGroups: ['rg-web', 'rg-data'],
      includeTypes: ['Microsoft.Network/networkSecurityGroups'],
      baseline: { kind: 'file', path: '/src/baselines/prod.json', artifactName: 'drift-baseline' },
      ignoreFile: '/src/ops/.driftignore',
      failOn: 'critical',
      mode: 'warn',
      timeoutMs: 30_000,
      reportDirectory: '/src/out',
      publishTestResults: false,
    });
    // The agent fills an empty filePath input with the working directory: that means "not set".
    expect(params.configFile).toBeUndefined();
  });

  it('reads the store connection string from the DRIFTWATCH_REDIS_URL variable', () => {
    const { host } = fakeTaskHost({
      inputs: { azureSubscription: 'conn-1' },
      variables: { DRIFTWATCH_REDIS_URL: 'rediss://cache.example:6380' },
    });

    expect(readTaskParameters(host).baseline).toEqual({
      kind: 'store',
      connectionString: 'rediss://cache.example:6380',
    });
  });

  it.each([
    [{ azureSubscription: '' }, "Input 'azureSubscription' is not valid: required"],
    [
      { command: 'verify' },
      `Input 'command' is not valid: expected one of check, record (got "verify")`,
    ],
    [
      { scopeName: 'prod east' },
      `Input 'scopeName' is not valid: use letters, digits, ".", "_" and "-" (got "prod east")`,
    ],
    [
      { subscriptions: 'prod-sub' },
      `Input 'subscriptions' is not valid: "prod-sub" is not a subscription id (a GUID)`,
    ],
    [
      { excludeTypes: 'storageAccounts' },
      `Input 'excludeTypes' is not valid: "storageAccounts" is not a resource type such as Microsoft.Web/sites`,
    ],
    [
      { baselineSource: 'blob' },
      `Input 'baselineSource' is not valid: expected one of store, file (got "blob")`,
    ],
    [
      { baselineSource: 'file' },
      `Input 'baselineFile' is not valid: required when baselineSource is "file"`,
    ],
    [
      { storeConnectionString: '' },
      'Input \'storeConnectionString\' is not valid: required when baselineSource is "store": set it, e.g. to $(DRIFTWATCH_REDIS_URL), or define the secret variable DRIFTWATCH_REDIS_URL',
    ],
    [
      { storeConnectionString: 'http://cache:6379' },
      "Input 'storeConnectionString' is not valid: expected redis://… or rediss://…",
    ],
    [
      { failOn: 'severe' },
      `Input 'failOn' is not valid: expected one of critical, high, medium, low, info (got "severe")`,
    ],
    [{ mode: 'block' }, `Input 'mode' is not valid: expected one of fail, warn (got "block")`],
    [
      { timeoutSeconds: '0' },
      `Input 'timeoutSeconds' is not valid: expected whole seconds from 1 to 86400 (got "0")`,
    ],
    [
      { timeoutSeconds: '1.5' },
      `Input 'timeoutSeconds' is not valid: expected whole seconds from 1 to 86400 (got "1.5")`,
    ],
    [
      { publishTestResults: 'yes' },
      `Input 'publishTestResults' is not valid: expected true or false (got "yes")`,
    ],
  ])('rejects %j naming the input and what is valid', (inputs, message) => {
    const { host } = fakeTaskHost({ inputs: { ...base, ...inputs }, variables });

    expect(() => readTaskParameters(host)).toThrow(message);
  });
});
