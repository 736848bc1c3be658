import { describe, expect, it } from 'vitest';
import {
  resolveDeploymentTargets,
  type TargetMappings,
} from '../../core/devops/resolve-deployment-targets.js';

const SUB_A = '0000000A-0000-0000-0000-000000000000';
const SUB_B = '0000000b-0000-0000-0000-000000000000';
const mappings: TargetMappings = {
  targets: [
    { pipeline: 'API-Deploy', environment: 'prod', resourceGroups: ['RG-API-PROD'] },
    { environment: 'network', subscriptions: [SUB_A], resourceGroups: ['rg-net'] },
    { pipeline: 'platform', scopes: ['prod'] },
  ],
  applications: [{ name: 'web', pipelines: ['web-deploy'], resourceGroups: ['rg-web'] }],
  scopes: {
    prod: { subscriptions: [SUB_A, SUB_B], resourceGroups: ['rg-1'] },
    staging: { subscriptions: [SUB_B] },
  },
};

describe('resolveDeploymentTargets', () => {
  it.each([
    [
      'a target naming pipeline and environment',
      { pipeline: 'api-deploy', environment: 'PROD' },
      [{ resourceGroup: 'rg-api-prod' }],
    ],
    [
      'the same pipeline to another environment',
      { pipeline: 'api-deploy', environment: 'dev' },
      [],
    ],
    [
      'a target naming only the environment',
      { pipeline: 'anything', environment: 'network' },
      [{ subscriptionId: SUB_A.toLowerCase(), resourceGroup: 'rg-net' }],
    ],
    [
      'a target by scope name',
      { pipeline: 'platform' },
      [
        { subscriptionId: SUB_A.toLowerCase(), resourceGroup: 'rg-1' },
        { subscriptionId: SUB_B, resourceGroup: 'rg-1' },
      ],
    ],
    [
      'an application listing the pipeline',
      { pipeline: 'web-deploy' },
      [{ resourceGroup: 'rg-web' }],
    ],
    [
      'an environment named like a scope (inferred)',
      { pipeline: 'x', environment: 'Staging' },
      [{ subscriptionId: SUB_B }],
    ],
    ['nothing known', { pipeline: 'x', environment: 'y' }, []],
  ])('%s', (_name, deployment, expected) => {
    expect(resolveDeploymentTargets(deployment, mappings)).toEqual(expected);
  });
});
