import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../core/errors.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { contosoSeed, openSimSession } from './devops-test-kit.js';

const RUNS = /^POST \/contoso\/platform\/_apis\/pipelines\/1\/runs/;

describe('DevOpsApi.queueRun and getRun (through the rate-limited adapter)', () => {
  let sim: DevOpsSim;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('queues one run with branch and parameters (api-version 7.1) and reads it to completion', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    sim.runs.pollsBeforeDone = 1;
    sim.runs.result = 'failed';
    const session = openSimSession(sim);

    const queued = await session.api.queueRun({
      project: 'platform',
      pipelineId: 1,
      branch: 'refs/heads/main',
      templateParameters: { environment: 'prod' },
    });
    const first = await session.api.getRun({
      project: 'platform',
      pipelineId: 1,
      runId: queued.id,
    });
    const second = await session.api.getRun({
      project: 'platform',
      pipelineId: 1,
      runId: queued.id,
    });
    await session.close();

    const link = `${sim.orgUrl}/platform/_build/results?buildId=${queued.id}`;
    expect(queued).toMatchObject({ id: 4421, state: 'inProgress', url: link });
    expect(first).toMatchObject({ id: 4421, state: 'inProgress' });
    expect(second).toMatchObject({ id: 4421, state: 'completed', result: 'failed', url: link });
    expect(sim.runs.queued.map((r) => r.body)).toEqual([
      {
        resources: { repositories: { self: { refName: 'refs/heads/main' } } },
        templateParameters: { environment: 'prod' },
      },
    ]);
    const post = sim.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/contoso/platform/_apis/pipelines/1/runs');
  });

  it('never sends the queue request again after a 503: it may have queued a run', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    sim.inject({ match: RUNS, status: 503, times: 1 });
    const session = openSimSession(sim);

    const failure = await session.api
      .queueRun({ project: 'platform', pipelineId: 1 })
      .catch((e: unknown) => e);
    await session.close();

    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ code: 'devops.server-error', status: 503 });
    expect(sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(session.connection.stats.retries).toBe(0);
  });

  it('sends it again after a 429 (blocked: nothing was queued) and queues exactly one run', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    sim.inject({ match: RUNS, status: 429, times: 1, retryAfter: 1 });
    const session = openSimSession(sim);

    const queued = await session.api.queueRun({ project: 'platform', pipelineId: 1 });
    await session.close();

    expect(queued.state).toBe('inProgress');
    expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([
      429, 200,
    ]);
    expect(sim.runs.queued).toHaveLength(1);
    expect(sim.runs.queued[0]?.body).toEqual({});
  });

  it('the simulator fails the test on a run request it does not understand', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });

    const response = await fetch(`${sim.orgUrl}/platform/_apis/pipelines/1/runs`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(':sim-pat').toString('base64')}`,
        accept: 'application/json;api-version=7.1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ previewRun: true }),
    });

    expect(response.status).toBe(400);
    expect(sim.unexpected.splice(0)).toEqual([
      'POST /contoso/platform/_apis/pipelines/1/runs: previewRun is not simulated',
    ]);
    expect(sim.runs.queued).toEqual([]);
  });
});
