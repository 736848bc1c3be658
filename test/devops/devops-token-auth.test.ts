import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { AZURE_DEVOPS_SCOPE } from '../../core/devops/devops-client.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { contosoSeed, discoverFrom, fakeTime, openSimSession } from './devops-test-kit.js';

/** An Entra credential that issues numbered one-hour tokens on the fake clock. */
function fakeEntraCredential(now: () => number) {
  const requests: string[] = [];
  const credential: TokenCredential = {
    async getToken(scopes): Promise<AccessToken> {
      requests.push(String(scopes));
      return { token: `entra-token-${requests.length}`, expiresOnTimestamp: now() + 3_600_000 };
    },
  };
  return { credential, requests };
}

describe('token sign-in to Azure DevOps (Entra, pipeline job token)', () => {
  let sim: DevOpsSim;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it('sends a bearer token for Azure DevOps and refreshes it before it expires', async () => {
    sim = await startDevOpsSim({
      seed: contosoSeed(),
      tokens: { 'entra-token-1': ['*'], 'entra-token-2': ['*'] },
    });
    const time = fakeTime();
    const entra = fakeEntraCredential(time.nowMs);
    const session = openSimSession(
      sim,
      { auth: { kind: 'entra', credential: entra.credential } },
      time,
    );

    const inventory = await discoverFrom(session, { projects: ['data'] });
    await time.sleep(56 * 60_000);
    const projects = await session.api.listProjects();
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(projects.map((p) => p.name)).toEqual(['platform', 'data']);
    expect(entra.requests).toEqual([AZURE_DEVOPS_SCOPE, AZURE_DEVOPS_SCOPE]);
    expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('signs in with a bearer token a pipeline job holds', async () => {
    sim = await startDevOpsSim({ seed: contosoSeed(), tokens: { 'job-token-0123456789': ['*'] } });
    const session = openSimSession(sim, {
      auth: { kind: 'bearer', token: 'job-token-0123456789' },
    });

    const inventory = await discoverFrom(session, { projects: ['data'] });
    await session.close();

    expect(inventory.complete).toBe(true);
    expect(inventory.projects[0]?.repositories.map((r) => r.name)).toEqual(['etl']);
  });
});
