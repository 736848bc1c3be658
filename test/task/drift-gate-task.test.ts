import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { PROJECT_ROOT } from '../support/requirements.js';
import { ensureTaskBundle, runTaskBundle } from './run-task-bundle.js';
import {
  agentVariables,
  CONNECTION,
  endpointVariables,
  inputs,
  SUB,
  spnSecret,
} from './task-agent-env.js';
import { NSG_ID, ownerTagChanged, SITE_ID, sshOpenToAny, taskEstate } from './task-estate.js';

describe('DriftGate task (bundled, run as the agent runs it, against the ARM simulator)', () => {
  let sim: ArmSimulator;
  let dir: string;
  let base: Record<string, string>;
  const reports = () => join(dir, '_temp', 'driftwatch');
  const report = (ext: string, command = 'check') =>
    ext === 'md'
      ? join(reports(), `${command === 'check' ? 'Drift gate' : 'Drift baseline'} prod.md`)
      : join(reports(), `driftwatch-prod-${command}.${ext}`);

  beforeAll(() => ensureTaskBundle());
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: taskEstate() });
    dir = mkdtempSync(join(tmpdir(), 'driftgate-'));
    mkdirSync(join(dir, '_temp'));
    mkdirSync(join(dir, 's'));
    writeFileSync(join(dir, 'sim-ca.pem'), sim.caPem);
    base = {
      NODE_EXTRA_CA_CERTS: join(dir, 'sim-ca.pem'),
      ...agentVariables(dir),
      ...spnSecret(sim),
      ...inputs({
        azureSubscription: CONNECTION,
        scopeName: 'prod',
        baselineSource: 'file',
        baselineFile: 'baseline/prod.json',
      }),
    };
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const task = (command: 'check' | 'record', more: Record<string, string> = {}) =>
    runTaskBundle({ ...base, ...inputs({ command, ...more }) });

  it('record then check with no change passes, with outputs, reports and a passing test run', async () => {
    const recorded = await task('record');
    const checked = await task('check');

    expect(recorded.result).toBe('Succeeded');
    expect(recorded.resultMessage).toBe(
      'Recorded the baseline for scope prod: 4 resource(s) (pipeline api-deploy, run 20261121.1, commit 9e1c2f0).',
    );
    const baseline = JSON.parse(readFileSync(join(dir, 's', 'baseline', 'prod.json'), 'utf8'));
    expect(baseline).toMatchObject({
      scope: 'prod',
      complete: true,
      source: {
        kind: 'pipeline',
        pipeline: {
          definition: 'api-deploy',
          runId: '4411',
          commit: '9e1c2f0d4b5a6978',
          runUrl: 'https://dev.azure.com/contoso/platform/_build/results?buildId=4411',
        },
      },
    });
    expect(baseline.resources).toHaveLength(4);

    expect(checked.result).toBe('Succeeded');
    expect(checked.resultMessage).toBe('No drift in scope prod (4 resource(s)).');
    expect(checked.outputs).toEqual({
      driftCount: '0',
      driftMaxSeverity: 'none',
      driftDetected: 'false',
      reportPath: report('json'),
    });
    expect(checked.issues.filter((i) => i.source === 'CustomerScript')).toEqual([]);
    expect(checked.of('task.uploadsummary').map((c) => c.message)).toEqual([report('md')]);
    expect(checked.of('task.addattachment').map((c) => [c.properties.type, c.message])).toEqual([
      ['driftwatch.report', report('json')],
      ['driftwatch.sarif', report('sarif')],
      ['driftwatch.junit', report('junit.xml')],
      ['driftwatch.html', report('html')],
    ]);
    // The report page from the bundle (no node_modules beside it): uPlot inlined, trend from the store.
    const page = readFileSync(report('html'), 'utf8');
    const pageData = JSON.parse(/id="dw-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}');
    expect(page).toContain('<title>Drift report · prod · ');
    expect(page).toMatch(/<script>[^<]*uPlot/);
    expect(pageData.trend.points.map((p: { findings: number }) => p.findings)).toEqual([0]);
    expect(checked.of('results.publish')).toEqual([
      {
        command: 'results.publish',
        properties: {
          type: 'JUnit',
          mergeResults: 'false',
          runTitle: 'Drift gate · prod',
          publishRunAttachments: 'true',
          resultFiles: report('junit.xml'),
          testRunSystem: 'VSTSTask',
        },
        message: '',
      },
    ]);
    expect(readFileSync(report('md'), 'utf8').split('\n')[0]).toBe(
      '## Drift gate: PASSED — no drift in scope prod',
    );
    expect(readFileSync(report('junit.xml'), 'utf8')).toContain('tests="1" failures="0"');
  });

  it('check → change → check fails the gate with the right summary, error lines and reports', async () => {
    await task('record');
    const before = await task('check');
    sim.estate.put(sshOpenToAny());
    sim.estate.changes.push({
      resourceId: NSG_ID,
      changeType: 'Update',
      timestamp: new Date().toISOString(),
      changedBy: 'ops-user@contoso.com',
      clientType: 'Azure Portal',
      operation: 'Microsoft.Network/networkSecurityGroups/write',
    });

    const run = await task('check');

    expect(before.result).toBe('Succeeded');
    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toBe(
      "1 finding(s) at or above 'high' in scope prod (most severe: critical).",
    );
    expect(run.outputs).toMatchObject({
      driftCount: '1',
      driftMaxSeverity: 'critical',
      driftDetected: 'true',
    });
    expect(run.issues.filter((i) => i.source === 'CustomerScript')).toEqual([
      {
        type: 'error',
        source: 'CustomerScript',
        message: expect.stringMatching(
          /^CRITICAL nsg-web-prod properties\.securityRules\[allow-ssh\]\.properties\.sourceAddressPrefix "\*": SSH \(22\) reachable from any source \(ops-user@contoso\.com via Azure Portal, .+\)$/,
        ),
      },
    ]);
    const summary = readFileSync(report('md'), 'utf8');
    expect(summary.split('\n').slice(0, 5)).toEqual([
      '## Drift gate: FAILED — 1 critical finding at or above `high` in scope prod',
      '',
      '| Severity | Resource | Change | Who / what | Fingerprint |',
      '| --- | --- | --- | --- | --- |',
      // Azure data is escaped by core's Markdown escaper; the fingerprint lets a reader accept it.
      expect.stringMatching(
        /^\| critical \| nsg-web-prod \| properties\.securityRules\\\[allow-ssh\\\]\.properties\.sourceAddressPrefix 10\.10\.0\.4\/32 → \\\* \| ops-user@contoso\.com via Azure Portal, .+ \| `[0-9a-f]{16}` \|$/,
      ),
    ]);
    expect(summary).toContain(
      'Baseline: recorded by pipeline "api-deploy", run 20261121.1 (commit 9e1c2f0) at ',
    );
    const sarif = JSON.parse(readFileSync(report('sarif'), 'utf8'));
    expect(
      sarif.runs[0].results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]),
    ).toEqual([['nsg-mgmt-port-open-to-any', 'error']]);
    const junit = readFileSync(report('junit.xml'), 'utf8');
    expect(junit).toContain('tests="1" failures="1"');
    expect(junit).toContain('name="nsg-web-prod: modified (critical)"');
  });

  it('record publishes the baseline file as a pipeline artifact when asked', async () => {
    const run = await task('record', { baselineArtifactName: 'drift-baseline' });

    expect(run.result).toBe('Succeeded');
    expect(run.of('artifact.upload')).toEqual([
      {
        command: 'artifact.upload',
        properties: { containerfolder: 'baseline', artifactname: 'drift-baseline' },
        message: join(dir, 's', 'baseline', 'prod.json'),
      },
    ]);
    expect(run.of('task.uploadsummary').map((c) => c.message)).toEqual([report('md', 'record')]);
    expect(readFileSync(report('md', 'record'), 'utf8').split('\n')[0]).toBe(
      '## Drift baseline: RECORDED — scope prod, 4 resources',
    );
  });

  it('warn mode reports the same drift as warnings and succeeds with issues', async () => {
    await task('record');
    sim.estate.put(sshOpenToAny());

    const run = await task('check', { mode: 'warn' });

    expect(run.result).toBe('SucceededWithIssues');
    expect(run.resultMessage).toBe(
      "1 finding(s) at or above 'high' in scope prod (most severe: critical). Warn mode: the gate does not fail on drift.",
    );
    expect(run.issues.filter((i) => i.source === 'CustomerScript').map((i) => i.type)).toEqual([
      'warning',
    ]);
    expect(readFileSync(report('md'), 'utf8').split('\n')[0]).toBe(
      '## Drift gate: WARNING — 1 critical finding at or above `high` in scope prod',
    );
  });

  it('drift below the threshold succeeds with issues and no error lines', async () => {
    await task('record');
    sim.estate.put(ownerTagChanged());

    const run = await task('check', { failOn: 'high' });

    expect(run.result).toBe('SucceededWithIssues');
    expect(run.resultMessage).toBe("1 finding(s) below 'high' in scope prod (most severe: low).");
    expect(run.outputs).toMatchObject({
      driftCount: '1',
      driftMaxSeverity: 'low',
      driftDetected: 'true',
    });
    expect(run.issues.filter((i) => i.source === 'CustomerScript')).toEqual([]);
  });

  it('an incomplete collection never succeeds, says what could not be read, and is never recorded', async () => {
    await task('record');
    const before = readFileSync(join(dir, 's', 'baseline', 'prod.json'), 'utf8');
    sim.forbid(`${SITE_ID}/config`, 'Microsoft.Web/sites/config/read');

    const checked = await task('check');
    const recorded = await task('record');

    expect(checked.result).toBe('SucceededWithIssues');
    expect(checked.resultMessage).toBe(
      `No drift in scope prod (3 resource(s)). The collection was incomplete; not readable: ${SITE_ID}/config/web: missing permission Microsoft.Web/sites/config/read (the built-in Reader role grants it)`,
    );
    expect(checked.outputs).toMatchObject({ driftCount: '0', driftDetected: 'false' });
    expect(readFileSync(report('md'), 'utf8')).toContain('**Incomplete:** not readable: ');
    expect(recorded.result).toBe('SucceededWithIssues');
    expect(recorded.resultMessage).toBe(
      `The baseline for scope prod was NOT recorded because the collection was incomplete; the previous baseline stays in force. Not readable: ${SITE_ID}/config/web: missing permission Microsoft.Web/sites/config/read (the built-in Reader role grants it)`,
    );
    expect(readFileSync(join(dir, 's', 'baseline', 'prod.json'), 'utf8')).toBe(before);
  });

  it('counts drifted resources in driftCount as task.json describes it, leaving out unreadable ones', async () => {
    await task('record');
    sim.estate.put(sshOpenToAny());
    sim.forbid(`${SITE_ID}/config`, 'Microsoft.Web/sites/config/read');
    const described = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'task', 'task.json'), 'utf8')) as {
        outputVariables: Array<{ name: string; description: string }>;
      }
    ).outputVariables.find((v) => v.name === 'driftCount')?.description;

    const run = await task('check');

    expect(run.outputs).toMatchObject({
      driftCount: '1',
      driftMaxSeverity: 'critical',
      driftDetected: 'true',
    });
    expect(described).toBe(
      'Number of drifted resources: added, removed or changed. Resources that could not be read are not counted (the result and the report name them).',
    );
  });

  it('takes the scope and severity overrides from the config file and ignores what the ignore file says', async () => {
    writeFileSync(
      join(dir, 's', 'driftwatch.config.yaml'),
      `scopes:\n  prod:\n    subscriptions: ['${SUB}']\nseverity:\n  overrides:\n    nsg-mgmt-port-open-to-any: medium\n`,
    );
    writeFileSync(
      join(dir, 's', 'ops.driftignore'),
      '# owners change with reorganisations\nMicrosoft.Storage/storageAccounts.*.tags.owner\n',
    );
    const config = { configFile: 'driftwatch.config.yaml', ignoreFile: 'ops.driftignore' };
    await task('record', config);
    sim.estate.put(sshOpenToAny(), ownerTagChanged());

    const run = await task('check', config);

    expect(run.result).toBe('SucceededWithIssues');
    expect(run.resultMessage).toBe(
      "1 finding(s) below 'high' in scope prod (most severe: medium).",
    );
    expect(run.outputs).toMatchObject({ driftCount: '1', driftMaxSeverity: 'medium' });
  });

  it('names the baseline file when it is not a snapshot', async () => {
    mkdirSync(join(dir, 's', 'baseline'));
    writeFileSync(join(dir, 's', 'baseline', 'prod.json'), '{ "resources": [ {"id": ');

    const run = await task('check');

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toMatch(
      /^Input 'baselineFile' is not valid: .*baseline\/prod\.json:1:\d+: malformed JSON/,
    );
  });

  it('names the config file when it is invalid', async () => {
    writeFileSync(
      join(dir, 's', 'driftwatch.config.yaml'),
      'scopes:\n  prod:\n    subscriptions: [not-a-guid]\n',
    );

    const run = await task('check', { configFile: 'driftwatch.config.yaml' });

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toBe(
      `Input 'configFile' is not valid: config key "scopes.prod.subscriptions[0]" in driftwatch.config.yaml: expected a subscription id such as 00000000-0000-0000-0000-000000000000`,
    );
  });

  it('check without a baseline succeeds with issues and says how to record one', async () => {
    const run = await task('check');

    expect(run.result).toBe('SucceededWithIssues');
    expect(run.resultMessage).toBe(
      `No baseline for scope prod yet in ${join(dir, 's', 'baseline', 'prod.json')}: nothing to compare. Run the task with command 'record' after a deployment first.`,
    );
  });

  it('fails after timeoutSeconds when Azure does not answer, storing nothing', async () => {
    sim.faults.add({ match: /ResourceGraph/, action: { kind: 'timeout' }, times: 100 });

    const run = await task('record', { timeoutSeconds: '1' });

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toBe(
      'The drift scan failed: gave up after 1 s (input timeoutSeconds) before the scope was collected; nothing was compared or stored',
    );
    expect(existsSync(join(dir, 's', 'baseline', 'prod.json'))).toBe(false);
  });

  it('masks the client secret and never prints it elsewhere', async () => {
    const run = await task('record');

    expect(run.secrets).toContain('sim-secret');
    const lines = run.stdout.split('\n').filter((l) => l.includes('sim-secret'));
    expect(lines).toEqual(['##vso[task.setsecret]sim-secret']);
  });

  it.each([
    [
      { failOn: 'severe' },
      `Input 'failOn' is not valid: expected one of critical, high, medium, low, info (got "severe")`,
    ],
    [
      { subscriptions: 'prod' },
      `Input 'subscriptions' is not valid: "prod" is not a subscription id (a GUID)`,
    ],
    [
      { baselineFile: '' },
      `Input 'baselineFile' is not valid: required when baselineSource is "file"`,
    ],
    [
      { timeoutSeconds: 'soon' },
      `Input 'timeoutSeconds' is not valid: expected whole seconds from 1 to 86400 (got "soon")`,
    ],
    [
      { baselineSource: 'store', storeConnectionString: 'redis://127.0.0.1:1' },
      'Could not use the baseline store: cannot connect to Redis at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)',
    ],
  ])('fails with a clear message for %j', async (more, message) => {
    const run = await task('check', more);

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain(message);
    expect(
      sim.requests.filter((r) => !r.url.includes('/oauth2/') && !r.url.includes('/.well-known/')),
    ).toEqual([]);
  });

  it.each([
    [
      'UsernamePassword',
      {},
      "Service connection '3f1c0c4e-7a51-4f0e-9d3b-2a6f1e0c9b11' uses the authorization scheme 'UsernamePassword', which the drift gate does not support.",
    ],
    [
      'ServicePrincipal',
      { serviceprincipalid: 'sim-client', tenantid: 't' },
      'is missing the serviceprincipalkey parameter (the client secret).',
    ],
    [
      'ServicePrincipal',
      { serviceprincipalid: 'sim-client', tenantid: 't', authenticationType: 'spnCertificate' },
      'is missing the servicePrincipalCertificate parameter.',
    ],
    [
      'WorkloadIdentityFederation',
      { serviceprincipalid: 'sim-client', tenantid: 't' },
      'is missing the System.OidcRequestUri variable',
    ],
  ])('fails on the %s scheme with %j', async (scheme, auth, message) => {
    const withoutEndpoint = Object.fromEntries(
      Object.entries(base).filter(([k]) => !k.startsWith('ENDPOINT_')),
    );
    const run = await runTaskBundle({
      ...withoutEndpoint,
      ...endpointVariables(sim, scheme, auth),
      ...inputs({ command: 'check' }),
    });

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain(message);
  });

  it('fails when Entra refuses the client secret', async () => {
    const run = await runTaskBundle({
      ...base,
      ...endpointVariables(sim, 'ServicePrincipal', {
        serviceprincipalid: 'sim-client',
        serviceprincipalkey: 'wrong-secret',
        tenantid: sim.tenantId,
      }),
      ...inputs({ command: 'check' }),
    });

    expect(run.result).toBe('Failed');
    expect(run.resultMessage).toContain('AADSTS7000215');
    expect(run.resultMessage).not.toContain('wrong-secret');
    expect(existsSync(report('json'))).toBe(false);
  });
});
