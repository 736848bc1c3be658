import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import {
  contosoSeed,
  discoverFrom,
  fakeTime,
  openSimSession,
} from '../../devops/devops-test-kit.js';
import { describeWithFixtures, fixture } from '../../support/requirements.js';
import { completeProject, type DevOpsSimSeed, type WireObject } from './devops-sim-seed.js';
import { generateDevOpsSimSeed } from './generate-devops-sim-seed.js';
import { type DevOpsSim, startDevOpsSim } from './start-devops-sim.js';

const read = (name: string) => JSON.parse(readFileSync(fixture(`devops/${name}`), 'utf8'));
const body = (name: string) => read(name).responses['200'].body;

/** The real responses in ../shared/fixtures/devops, as lists of items (see that folder's README). */
function realItems() {
  return {
    repositories: body('git.repositories_list.json').value as WireObject[],
    commits: body('git.commits_list.json').value as WireObject[],
    builds: body('build.builds_list.cli-recording.json').value as WireObject[],
    // Captured through azure-devops-extension-api: bare arrays, MS-JSON dates, numeric enums.
    environments: read('environments.list.sixpivot-noArrayWrap.json') as WireObject[],
    deploymentRecords: read(
      'environments.environmentdeploymentrecords.list.sixpivot-noArrayWrap.json',
    ) as WireObject[],
    pipelines: read('pipelines.list.sixpivot-noArrayWrap.json') as WireObject[],
    // Hand-edited by its source project: ids are strings there; used for shape only.
    runs: read('pipelines.runs_list.xsoar-test-data.json').value as WireObject[],
  };
}

const keysOf = (items: readonly WireObject[]) => new Set(items.flatMap((i) => Object.keys(i)));

describeWithFixtures('Azure DevOps simulator conformance with real responses', () => {
  let sim: DevOpsSim | undefined;
  afterEach(async () => {
    expect(sim?.unexpected ?? []).toEqual([]);
    await sim?.close();
    sim = undefined;
  });

  it.each([
    ['contoso data file', contosoSeed()],
    ['benchmark generator', generateDevOpsSimSeed({ repositories: 3, builds: 5 })],
  ] as const)('the %s serves no field the real service does not', (_name, seed: DevOpsSimSeed) => {
    const real = realItems();
    const served = {
      repositories: seed.projects.flatMap((p) => p.repositories),
      commits: seed.projects.flatMap((p) => Object.values(p.commits).flat()),
      builds: seed.projects.flatMap((p) => p.builds),
      environments: seed.projects.flatMap((p) => p.environments),
      deploymentRecords: seed.projects.flatMap((p) => Object.values(p.deploymentRecords).flat()),
      pipelines: seed.projects.flatMap((p) => p.pipelines),
      runs: seed.projects.flatMap((p) => Object.values(p.runs).flat()),
    };

    const invented = Object.fromEntries(
      Object.entries(served).map(([kind, items]) => {
        const known = keysOf(real[kind as keyof typeof real]);
        return [kind, [...keysOf(items)].filter((k) => !known.has(k))];
      }),
    );

    expect(invented).toEqual({
      repositories: [],
      commits: [],
      builds: [],
      environments: [],
      deploymentRecords: [],
      pipelines: [],
      runs: [],
    });
  });

  it('discovery reads the real responses exactly through the real SDK', async () => {
    const real = realItems();
    const repo = real.repositories.find((r) => r.name === 'Fabrikam-Fiber-Git') as WireObject;
    const project = repo.project as WireObject & { id: string; name: string };
    const env = real.environments.find((e) => e.id === 7) as WireObject;
    sim = await startDevOpsSim({
      seed: {
        organization: 'fabrikam',
        projects: [
          completeProject({
            project,
            repositories: [repo],
            commits: { [String(repo.id)]: real.commits },
            builds: real.builds,
            pipelines: real.pipelines,
            runs: Object.fromEntries(
              real.pipelines.map((p) => [String(p.id), p.id === 87 ? real.runs : []]),
            ),
            environments: [env],
            deploymentRecords: { '7': real.deploymentRecords },
          }),
        ],
      },
    });
    const session = openSimSession(sim, {}, fakeTime());

    const inventory = await discoverFrom(session);
    await session.close();

    const p = inventory.projects[0];
    expect(inventory.errors).toEqual([]);
    expect(inventory.complete).toBe(true);
    expect(p?.repositories).toEqual([
      {
        id: '278d5cd2-584d-4b63-824a-2ba458937249',
        name: 'Fabrikam-Fiber-Git',
        defaultBranch: 'refs/heads/master',
        webUrl: 'https://dev.azure.com/fabrikam/_git/Fabrikam-Fiber-Git',
        lastCommit: {
          id: '9991b4f66def4c0a9ad8f9f27043ece7eddcf1c7',
          author: 'Fabrikamfiber16@hotmail.com',
          date: '2018-06-15T17:06:53.000Z',
          message: 'Merged PR 2: Deleted README.md',
        },
      },
    ]);
    expect(p?.builds).toHaveLength(real.builds.length);
    expect(p?.builds.map((b) => [b.id, b.status, b.result, b.definition?.id])).toEqual(
      real.builds.map((b) => [b.id, b.status, b.result, (b.definition as WireObject).id]),
    );
    expect(
      p?.pipelines
        .find((x) => x.id === 87)
        ?.runs.map((r) => [r.id, r.state, r.result, r.createdAt]),
    ).toEqual([
      [42, 'completed', 'failed', '2021-10-26T13:27:14.782Z'],
      [41, 'completed', 'failed', '2021-10-26T11:01:38.692Z'],
    ]);
    expect(p?.environments[0]?.deployments[0]).toEqual({
      id: 366,
      environmentId: 7,
      environment: String(env.name),
      pipeline: { id: 71, name: 'Release Pipeline C' },
      run: { id: 3915, name: '20240715.2' },
      stage: 'prod',
      job: 'prod',
      result: 'succeeded',
      startedAt: '2024-07-15T03:41:21.740Z',
      finishedAt: '2024-07-15T03:41:36.970Z',
      url: 'https://dev.azure.com/sixpivot/058870c3-3e26-462c-95d6-15749bcea90e/_build/results?buildId=3915',
    });
  });
});
