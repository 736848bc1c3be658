import { afterEach, describe, expect, it } from 'vitest';
import { contosoSeed } from '../../devops/devops-test-kit.js';
import { type DevOpsSim, startDevOpsSim } from './start-devops-sim.js';

const auth = {
  authorization: `Basic ${Buffer.from(':sim-pat').toString('base64')}`,
  accept: 'application/json;api-version=7.1',
};

describe('startDevOpsSim', () => {
  let sim: DevOpsSim;
  afterEach(async () => {
    await sim.close();
  });

  it.each([
    ['/contoso/platform/_apis/git/branches', 'no such route'],
    [
      '/contoso/platform/_apis/build/builds?statusFilter=completed',
      'unknown query parameter "statusFilter"',
    ],
  ])('fails loudly on %s', async (path, why) => {
    sim = await startDevOpsSim({ seed: contosoSeed() });

    const response = await fetch(`${sim.orgUrl.replace(/\/contoso$/, '')}${path}`, {
      headers: auth,
    });

    expect(response.status).toBe(400);
    expect(sim.unexpected).toEqual([`GET ${path}: ${why}`]);
  });

  it.each([
    ['application/json', 'no api-version'],
    ['application/json;api-version=7.1', 'api-version 7.1 is not a preview version'],
  ])('refuses connectionData asked for with Accept %s', async (accept, why) => {
    sim = await startDevOpsSim({ seed: contosoSeed() });

    const response = await fetch(`${sim.orgUrl}/_apis/connectionData`, {
      headers: { ...auth, accept },
    });

    expect(response.status).toBe(400);
    expect(sim.unexpected).toEqual([`GET /contoso/_apis/connectionData: ${why}`]);
  });

  it('answers connectionData with the same user id for the same credential', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    const ask = async () => {
      const response = await fetch(`${sim.orgUrl}/_apis/connectionData`, {
        headers: { ...auth, accept: 'application/json;api-version=7.1-preview.1' },
      });
      return ((await response.json()) as { authenticatedUser: { id: string } }).authenticatedUser
        .id;
    };

    const [first, second] = [await ask(), await ask()];

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).toBe(first);
  });

  it('warns near the limit, then delays, then answers 429 with Retry-After', async () => {
    let now = Date.parse('2026-11-21T12:00:00Z');
    sim = await startDevOpsSim({
      seed: contosoSeed(),
      now: () => now,
      rateLimit: { limit: 4, windowMs: 60_000, blockAt: 5, delayMs: 1 },
    });
    const get = () => fetch(`${sim.orgUrl}/_apis/projects`, { headers: auth });

    const answers = [];
    for (let i = 0; i < 6; i++) {
      const r = await get();
      answers.push([
        r.status,
        r.headers.get('x-ratelimit-remaining'),
        r.headers.get('retry-after'),
        r.headers.get('x-ratelimit-delay'),
      ]);
      now += 1_000;
    }

    expect(answers).toEqual([
      [200, null, null, null],
      [200, null, null, null],
      [200, null, null, null],
      [200, '0', null, null],
      [200, '0', '56', '0.001'],
      [429, '0', '55', null],
    ]);
  });

  it('counts queueing a run and reading it against the same rate limit, and queues nothing when it blocks', async () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    sim = await startDevOpsSim({
      seed: contosoSeed(),
      now: () => now,
      rateLimit: { limit: 2, windowMs: 60_000, blockAt: 3, delayMs: 1 },
    });
    const queue = () =>
      fetch(`${sim.orgUrl}/platform/_apis/pipelines/1/runs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      });

    const listed = await fetch(`${sim.orgUrl}/_apis/projects`, { headers: auth });
    const queued = await queue();
    const run = (await queued.json()) as { id: number; state: string };
    const read = await fetch(`${sim.orgUrl}/platform/_apis/pipelines/1/runs/${run.id}`, {
      headers: auth,
    });
    const blocked = await queue();

    expect([listed.status, queued.status, read.status, blocked.status]).toEqual([
      200, 200, 200, 429,
    ]);
    expect(run.state).toBe('inProgress');
    expect(read.headers.get('x-ratelimit-delay')).toBe('0.001');
    expect(blocked.headers.get('retry-after')).toBe('60');
    expect(sim.runs.queued.map((r) => r.id)).toEqual([run.id]);
    expect(sim.requests.map((r) => r.outcome)).toEqual(['ok', 'ok', 'delayed', 'blocked']);
  });

  it('pages with $top and an x-ms-continuationtoken header', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed(), maxPageSize: 3 });

    const first = await fetch(`${sim.orgUrl}/platform/_apis/build/builds?$top=10`, {
      headers: auth,
    });
    const token = first.headers.get('x-ms-continuationtoken') as string;
    const second = await fetch(
      `${sim.orgUrl}/platform/_apis/build/builds?continuationToken=${token}`,
      { headers: auth },
    );

    expect(((await first.json()) as { value: { id: number }[] }).value.map((b) => b.id)).toEqual([
      300, 4420, 4411,
    ]);
    expect(((await second.json()) as { value: { id: number }[] }).value.map((b) => b.id)).toEqual([
      77,
    ]);
    expect(second.headers.get('x-ms-continuationtoken')).toBeNull();
  });
});
