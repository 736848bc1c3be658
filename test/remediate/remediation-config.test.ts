import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';

const withPolicy = (policy: Record<string, unknown>) => ({
  remediation: { scopes: { prod: policy } },
});

describe('remediation config', () => {
  it('fills the defaults: one approval, no self-approval, 24h, accept only, any time', () => {
    const config = parseConfig(withPolicy({ approvers: ['cli:ada'] }), 'test');

    expect(config.remediation).toEqual({
      applyLeaseSeconds: 300,
      runPollSeconds: 5,
      runPollMaxSeconds: 60,
      scopes: {
        prod: {
          approvers: ['cli:ada'],
          approvals: 1,
          requesterCannotApprove: true,
          expiry: '24h',
          strategies: ['accept'],
          windows: [],
          timezone: 'UTC',
        },
      },
    });
  });

  it.each([
    [
      'an approver without a kind',
      { approvers: ['ada'] },
      'expected <kind>:<id> with kind one of cli, slack, slack-group, entra, entra-group, teams',
    ],
    [
      'more approvals than approvers',
      { approvers: ['cli:ada'], approvals: 2 },
      'approvals cannot exceed the number of approvers',
    ],
    ['an unknown strategy', { approvers: ['cli:ada'], strategies: ['rollback'] }, 'revert'],
    [
      'a window ending before it starts',
      { approvers: ['cli:ada'], windows: [{ from: '18:00', to: '09:00' }] },
      'from must be earlier than to',
    ],
    [
      'a time that is not HH:MM',
      { approvers: ['cli:ada'], windows: [{ from: '9am', to: '17:00' }] },
      'expected HH:MM (24 h), e.g. 09:00',
    ],
    [
      'a zone that does not exist',
      { approvers: ['cli:ada'], timezone: 'Mars/Olympus' },
      'expected an IANA time zone such as Europe/Berlin or UTC',
    ],
    [
      'an expiry that is not a duration',
      { approvers: ['cli:ada'], expiry: 'tomorrow' },
      'expected a duration',
    ],
  ])('refuses %s, naming the key and what is valid', (_name, policy, valid) => {
    expect(() => parseConfig(withPolicy(policy), 'driftwatch.config.yaml')).toThrow(valid);
    expect(() => parseConfig(withPolicy(policy), 'driftwatch.config.yaml')).toThrow(
      'remediation.scopes.prod',
    );
  });

  it('reads a redeploy mapping: branch kept as written, parameters as the strings they are sent as', () => {
    const config = parseConfig(
      withPolicy({
        approvers: ['cli:ada'],
        strategies: ['redeploy'],
        redeploy: {
          project: 'platform',
          pipeline: 'api-deploy',
          branch: 'release/2026.11',
          parameters: { environment: 'prod', replicas: 3, dryRun: false },
        },
      }),
      'test',
    );

    expect(config.remediation?.scopes.prod?.redeploy).toEqual({
      project: 'platform',
      pipeline: 'api-deploy',
      branch: 'release/2026.11',
      parameters: { environment: 'prod', replicas: '3', dryRun: 'false' },
    });
  });

  it.each([
    [
      'both pipelineId and pipeline',
      { project: 'platform', pipeline: 'api-deploy', pipelineId: 1 },
      'name the pipeline by pipelineId (a number) or by pipeline (its name), not both or neither',
    ],
    [
      'neither pipelineId nor pipeline',
      { project: 'platform' },
      'name the pipeline by pipelineId (a number) or by pipeline (its name), not both or neither',
    ],
    [
      'a pipelineId that is not a number',
      { project: 'platform', pipelineId: '7' },
      'expected the pipeline id, a positive whole number',
    ],
    [
      'a pipelineId of 0',
      { project: 'platform', pipelineId: 0 },
      'expected the pipeline id, a positive whole number',
    ],
    ['no project', { pipeline: 'api-deploy' }, 'redeploy.project'],
    [
      'a branch with a space',
      { project: 'platform', pipeline: 'api-deploy', branch: 'my branch' },
      'expected a branch such as main or refs/heads/main',
    ],
    [
      'a parameter that is an object',
      { project: 'platform', pipeline: 'api-deploy', parameters: { sizes: { web: 2 } } },
      'expected a string, number or boolean (runtime parameters are sent as strings)',
    ],
    [
      'an unknown key',
      { project: 'platform', pipeline: 'api-deploy', pipelineName: 'api-deploy' },
      'pipelineName',
    ],
  ])(
    'refuses a redeploy mapping with %s, naming the key and what is valid',
    (_name, redeploy, valid) => {
      const policy = { approvers: ['cli:ada'], strategies: ['redeploy'], redeploy };

      expect(() => parseConfig(withPolicy(policy), 'driftwatch.config.yaml')).toThrow(valid);
      expect(() => parseConfig(withPolicy(policy), 'driftwatch.config.yaml')).toThrow(
        'remediation.scopes.prod.redeploy',
      );
    },
  );
});
