import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, HttpError, UsageError } from '../../core/errors.js';
import {
  type DevOpsSim,
  type DevOpsSimOptions,
  startDevOpsSim,
} from '../sim/devops/start-devops-sim.js';
import { contosoSeed, discoverFrom, fakeTime, openSimSession } from './devops-test-kit.js';

describe('discoverInventory under bad input and faults', () => {
  let sim: DevOpsSim | undefined;
  const start = async (options: Partial<DevOpsSimOptions> = {}) => {
    sim = await startDevOpsSim({ seed: contosoSeed(), ...options });
    return sim;
  };
  afterEach(async () => {
    expect(sim?.unexpected).toEqual([]);
    await sim?.close();
    sim = undefined;
  });

  it('names a wrong organization in the URL', async () => {
    const s = await start();
    const session = openSimSession(s, { orgUrl: s.orgUrl.replace(/contoso$/, 'contosso') });

    const failure = await discoverFrom(session).catch((e: unknown) => e);
    await session.close();

    expect(failure).toMatchObject({ code: 'devops.org-not-found' });
    expect((failure as Error).message).toBe(
      `no Azure DevOps organization at ${s.orgUrl.replace(/contoso$/, 'contosso')} (404); devops.orgUrl should look like https://dev.azure.com/<organization>`,
    );
  });

  it('says when the host cannot be reached, without retrying a refused connection', async () => {
    const s = await start();
    await s.close();
    const session = openSimSession(s);

    const failure = await discoverFrom(session).catch((e: unknown) => e);
    await session.close();

    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ code: 'devops.unreachable' });
    expect(session.connection.stats).toMatchObject({ sent: 1, retries: 0, failed: 1 });
  });

  it('refuses an expired or revoked PAT before reading anything, without showing it', async () => {
    const s = await start();
    const session = openSimSession(s, { auth: { kind: 'pat', token: 'expired-token-0123456789' } });

    const failure = (await discoverFrom(session).catch((e: unknown) => e)) as AuthError;
    await session.close();

    expect(failure).toBeInstanceOf(AuthError);
    expect(failure.code).toBe('devops.unauthorized');
    expect(failure.message).not.toContain('expired-token-0123456789');
    expect(s.requests.filter((r) => r.status === 401).map((r) => r.path)).toEqual([
      '/contoso/_apis/connectionData',
    ]);
  });

  it('marks the inventory partial and names each missing PAT scope', async () => {
    const s = await start({ tokens: { 'narrow-pat-123456': ['vso.project', 'vso.code'] } });
    const session = openSimSession(s, { auth: { kind: 'pat', token: 'narrow-pat-123456' } });

    const inventory = await discoverFrom(session, { projects: ['data'] });
    await session.close();

    expect(inventory.complete).toBe(false);
    expect(inventory.projects[0]?.repositories.map((r) => r.name)).toEqual(['etl']);
    expect(inventory.errors.map((e) => `${e.what} | ${e.code} | ${e.message}`)).toEqual([
      'project data: pipelines | devops.missing-scope | Azure DevOps refused to list pipelines in project data (401): the token needs the Build (Read) scope (vso.build)',
      'project data: builds | devops.missing-scope | Azure DevOps refused to list builds in project data (401): the token needs the Build (Read) scope (vso.build)',
      'project data: environments | devops.missing-scope | Azure DevOps refused to list environments in project data (401): the token needs the Environment (Read & manage) scope (vso.environment_manage)',
      'project data: classic release definitions | devops.missing-scope | Azure DevOps refused to list classic release definitions in project data (401): the token needs the Release (Read) scope (vso.release)',
    ]);
  });

  it('names the projects that exist when a configured project does not', async () => {
    const s = await start();
    const session = openSimSession(s);

    const failure = await discoverFrom(session, { projects: ['platfrom'] }).catch(
      (e: unknown) => e,
    );
    await session.close();

    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toBe(
      `project "platfrom" not found in ${s.orgUrl}; projects: platform, data`,
    );
  });

  it('rides out a 429 storm by waiting Retry-After, then completes', async () => {
    const s = await start();
    s.inject({
      match: /GET \/contoso\/platform\/_apis\/build\/builds/,
      status: 429,
      times: 3,
      retryAfter: 7,
    });
    const session = openSimSession(s);

    const inventory = await discoverFrom(session);
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(inventory.projects[0]?.builds).toHaveLength(4);
    expect(session.waits).toEqual([7000, 7000, 7000]);
    expect(inventory.requests).toMatchObject({ throttled: 3, retries: 3, failed: 0 });
  });

  it('gives up after the retry cap and reports the part it could not read', async () => {
    const s = await start();
    s.inject({
      match: /GET \/contoso\/platform\/_apis\/build\/builds/,
      status: 429,
      times: 100,
      retryAfter: 1,
    });
    const session = openSimSession(s, { retry: { maxRetries: 3, random: () => 0 } });

    const inventory = await discoverFrom(session, { projects: ['platform'] });
    await session.close();

    expect(inventory.complete).toBe(false);
    expect(inventory.projects[0]?.builds).toEqual([]);
    expect(inventory.projects[0]?.repositories).toHaveLength(3);
    expect(inventory.errors.map((e) => `${e.what} | ${e.code}`)).toEqual([
      'project platform: builds | devops.throttled',
    ]);
    expect(s.requests.filter((r) => r.outcome === 'fault')).toHaveLength(4);
  });

  it('retries 5xx with exponential backoff and jitter', async () => {
    const s = await start();
    s.inject({ match: /GET \/contoso\/data\/_apis\/git\/repositories$/, status: 503, times: 2 });
    const session = openSimSession(s, { retry: { random: () => 0.5 } });

    const inventory = await discoverFrom(session, { projects: ['data'] });
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(session.waits).toEqual([750, 1500]);
    expect(inventory.requests).toMatchObject({ retries: 2, failed: 0 });
  });

  it('opens the circuit on an endpoint that keeps failing and stops calling it', async () => {
    const s = await start();
    s.inject({ match: /\/commits\?/, status: 500, times: 100 });
    const session = openSimSession(s, {
      maxConcurrent: 1,
      retry: { maxRetries: 1, random: () => 0 },
      breaker: { threshold: 1 },
    });

    const inventory = await discoverFrom(session, { projects: ['platform'] });
    await session.close();

    expect(inventory.errors.map((e) => `${e.what} | ${e.code}`).sort()).toEqual([
      'project platform: last commit of api | devops.server-error',
      'project platform: last commit of web | devops.circuit-open',
    ]);
    // api: first try + one retry; web: its first try went out during api's backoff, its retry did not.
    expect(s.requests.filter((r) => r.path.includes('/commits?'))).toHaveLength(3);
    expect(inventory.requests).toMatchObject({ shortCircuited: 1 });
  });

  it('lets one trial through after the cooldown and closes the circuit when it succeeds', async () => {
    const s = await start();
    const time = fakeTime();
    s.inject({ match: /GET \/contoso\/_apis\/projects/, status: 503, times: 2 });
    const session = openSimSession(
      s,
      { retry: { maxRetries: 0, random: () => 0 }, breaker: { threshold: 2, cooldownMs: 30_000 } },
      time,
    );
    const list = () =>
      session.api.listProjects().then(
        (p) => p.length,
        (e: { code: string }) => e.code,
      );

    const outcomes = [await list(), await list(), await list()];
    await time.sleep(30_000);
    outcomes.push(await list(), await list());
    await session.close();

    expect(outcomes).toEqual([
      'devops.server-error',
      'devops.server-error',
      'devops.circuit-open',
      2,
      2,
    ]);
    expect(
      s.requests.filter((r) => r.path.startsWith('/contoso/_apis/projects')).map((r) => r.status),
    ).toEqual([503, 503, 200, 200]);
  });

  it('honours the service throttling (delay, then 429) and still reads everything exactly', async () => {
    const time = fakeTime();
    const s = await start({
      now: time.nowMs,
      rateLimit: { limit: 6, windowMs: 60_000, blockAt: 8, delayMs: 1 },
    });
    const session = openSimSession(s, {}, time);

    const inventory = await discoverFrom(session, { projects: ['platform'] });
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(inventory.projects[0]?.repositories.map((r) => r.lastCommit?.id.slice(0, 7))).toEqual([
      '9e1c2f0',
      '2222222',
      undefined,
    ]);
    expect(inventory.projects[0]?.environments.map((e) => e.deployments.length)).toEqual([2, 1]);
    expect(inventory.requests.failed).toBe(0);
    expect(inventory.requests.delayed).toBeGreaterThan(0);
    expect(s.requests.filter((r) => r.outcome === 'delayed').length).toBe(
      inventory.requests.delayed,
    );
  });

  it('stops at once when interrupted, sending nothing more', async () => {
    const s = await start({ latencyMs: 30 });
    const abort = new AbortController();
    const session = openSimSession(s, { signal: abort.signal, maxConcurrent: 1 });
    const interrupted = new Error('interrupted');

    const running = discoverFrom(session, { signal: abort.signal }).catch((e: unknown) => e);
    await new Promise((done) => setTimeout(done, 100));
    abort.abort(interrupted);
    const outcome = await running;
    const sentWhenDone = s.requests.length;
    await new Promise((done) => setTimeout(done, 100));
    await session.close();

    expect(outcome).toBe(interrupted);
    expect(s.requests.length).toBe(sentWhenDone);
    expect(sentWhenDone).toBeLessThan(10);
  });
});
