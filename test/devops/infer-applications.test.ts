import { describe, expect, it } from 'vitest';
import type { DevOpsProjectInventory } from '../../core/devops/devops-inventory.js';
import { inferApplications } from '../../core/devops/infer-applications.js';

const deployment = (pipelineId: number, pipeline: string, environment: string) => ({
  id: pipelineId * 10,
  environmentId: 1,
  environment,
  pipeline: { id: pipelineId, name: pipeline },
  run: { id: 1 },
});

const project: DevOpsProjectInventory = {
  id: 'p',
  name: 'shop',
  repositories: [
    { id: 'r1', name: 'cart' },
    { id: 'r2', name: 'checkout-svc' },
  ],
  pipelines: [
    { id: 1, name: 'cart-deploy', runs: [] },
    { id: 2, name: 'cart CD', runs: [] },
    { id: 3, name: 'checkout-release', runs: [] },
    { id: 4, name: 'lint-ci', runs: [] },
  ],
  builds: [{ id: 9, definition: { id: 3, name: 'checkout-release' }, repository: 'checkout-svc' }],
  environments: [
    { id: 1, name: 'cart-prod', deployments: [deployment(1, 'cart-deploy', 'cart-prod')] },
    {
      id: 2,
      name: 'cart-test',
      deployments: [
        deployment(2, 'cart CD', 'cart-test'),
        deployment(3, 'checkout-release', 'cart-test'),
      ],
    },
  ],
  releaseDefinitions: [{ id: 1, name: 'Legacy Release', environments: ['qa', 'prod'] }],
};

describe('inferApplications', () => {
  it('groups deploying pipelines by name, with their environments and source repositories', () => {
    expect(inferApplications(project)).toEqual([
      {
        name: 'cart',
        project: 'shop',
        repositories: ['cart'],
        pipelines: ['cart CD', 'cart-deploy'],
        environments: ['cart-prod', 'cart-test'],
        source: 'inferred',
      },
      {
        name: 'checkout',
        project: 'shop',
        repositories: ['checkout-svc'],
        pipelines: ['checkout-release'],
        environments: ['cart-test'],
        source: 'inferred',
      },
      {
        name: 'Legacy',
        project: 'shop',
        repositories: [],
        pipelines: ['Legacy Release'],
        environments: ['prod', 'qa'],
        source: 'inferred',
      },
    ]);
  });

  it('lets declared applications claim their pipelines and keeps them as written', () => {
    const apps = inferApplications(project, [
      { name: 'basket', pipelines: ['cart-deploy', 'cart CD'], environments: ['cart-prod'] },
      { name: 'other', project: 'elsewhere' },
    ]);

    expect(apps.map((a) => [a.name, a.source, a.pipelines])).toEqual([
      ['basket', 'config', ['cart CD', 'cart-deploy']],
      ['checkout', 'inferred', ['checkout-release']],
      ['Legacy', 'inferred', ['Legacy Release']],
    ]);
  });
});
