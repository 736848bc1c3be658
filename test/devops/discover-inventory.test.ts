import { afterEach, describe, expect, it } from 'vitest';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { contosoSeed, discoverFrom, openSimSession } from './devops-test-kit.js';

describe('discoverInventory', () => {
  let sim: DevOpsSim | undefined;
  afterEach(async () => {
    expect(sim?.unexpected).toEqual([]);
    await sim?.close();
  });

  it('keeps the newest 100 runs per pipeline, as README says', async () => {
    const seed = contosoSeed();
    const platform = seed.projects.find((p) => p.project.name === 'platform');
    if (!platform) throw new Error('seed has no platform project');
    const template = platform.runs['1']?.[0] as Record<string, unknown>;
    platform.runs['1'] = Array.from({ length: 130 }, (_, i) => ({
      ...template,
      id: 10_000 - i,
      name: `run-${10_000 - i}`,
    }));
    sim = await startDevOpsSim({ seed });
    const session = openSimSession(sim);

    const inventory = await discoverFrom(session, { projects: ['platform'] });
    await session.close();

    const runs = inventory.projects[0]?.pipelines.find((p) => p.name === 'api-deploy')?.runs;
    expect(runs?.length).toBe(100);
    expect(runs?.[0]?.id).toBe(10_000);
    expect(runs?.[99]?.id).toBe(9_901);
  });

  it('reads projects, repositories with last commits, pipelines, builds, environments and releases', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    const session = openSimSession(sim);

    const inventory = await discoverFrom(session);
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(inventory.errors).toEqual([]);
    const platform = inventory.projects.find((p) => p.name === 'platform');
    expect(platform?.repositories).toEqual([
      {
        id: 'a1000000-0000-4000-8000-000000000001',
        name: 'api',
        defaultBranch: 'refs/heads/main',
        webUrl: 'https://dev.azure.com/contoso/platform/_git/api',
        lastCommit: {
          id: '9e1c2f0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          author: 'dev1@contoso.com',
          date: '2026-11-21T08:55:00.000Z',
          message: 'Scale API to D16',
        },
      },
      {
        id: 'a1000000-0000-4000-8000-000000000002',
        name: 'web',
        defaultBranch: 'refs/heads/trunk',
        webUrl: 'https://dev.azure.com/contoso/platform/_git/web',
        lastCommit: {
          id: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
          author: 'dev3@contoso.com',
          date: '2026-11-19T12:00:00.000Z',
          message: 'Web tweaks',
        },
      },
      {
        id: 'a1000000-0000-4000-8000-000000000003',
        name: 'empty',
        webUrl: 'https://dev.azure.com/contoso/platform/_git/empty',
      },
    ]);
    expect(
      platform?.pipelines.map((p) => [
        p.name,
        p.runs.map((r) => `${r.id}:${r.state}/${r.result ?? '-'}`),
      ]),
    ).toEqual([
      ['api-deploy', ['4420:completed/succeeded', '4411:completed/succeeded']],
      ['web-ci', ['300:inProgress/-']],
      ['network-deploy', ['77:completed/failed']],
    ]);
    expect(
      platform?.builds.map(
        (b) => `${b.id} ${b.definition?.name} ${b.status}/${b.result ?? '-'} ${b.repository}`,
      ),
    ).toEqual([
      '300 web-ci inProgress/- web',
      '4420 api-deploy completed/succeeded api',
      '4411 api-deploy completed/succeeded api',
      '77 network-deploy completed/failed network',
    ]);
    expect(platform?.environments[0]?.deployments[0]).toEqual({
      id: 900,
      environmentId: 7,
      environment: 'prod',
      pipeline: { id: 1, name: 'api-deploy' },
      run: { id: 4420, name: '20261121.1' },
      stage: 'prod',
      job: 'deploy',
      result: 'succeeded',
      startedAt: '2026-11-21T09:31:00.000Z',
      finishedAt: '2026-11-21T09:35:00.000Z',
      url: 'https://dev.azure.com/contoso/platform/_build/results?buildId=4420',
    });
    expect(platform?.releaseDefinitions).toEqual([
      {
        id: 1,
        name: 'legacy-portal-release',
        path: '\\',
        environments: ['legacy-qa', 'legacy-prod'],
      },
    ]);
    expect(inventory.applications).toEqual([
      {
        name: 'api',
        project: 'platform',
        repositories: ['api'],
        pipelines: ['api-deploy'],
        environments: ['prod'],
        source: 'inferred',
      },
      {
        name: 'network',
        project: 'platform',
        repositories: ['network'],
        pipelines: ['network-deploy'],
        environments: ['rg-network-prod'],
        source: 'inferred',
      },
      {
        name: 'legacy-portal',
        project: 'platform',
        repositories: [],
        pipelines: ['legacy-portal-release'],
        environments: ['legacy-prod', 'legacy-qa'],
        source: 'inferred',
      },
    ]);
    expect(inventory.requests).toMatchObject({ failed: 0, throttled: 0, errorRate: 0 });
    // Every request the SDK made — location discovery included — went through the gate.
    expect(inventory.requests.sent).toBe(sim.requests.length);
    expect(
      sim.requests
        .filter((r) => r.method === 'OPTIONS')
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/contoso/_apis/Location',
      '/contoso/_apis/Release',
      '/contoso/_apis/build',
      '/contoso/_apis/core',
      '/contoso/_apis/distributedtask',
      '/contoso/_apis/git',
      '/contoso/_apis/pipelines',
    ]);
  });
});
