import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { AccessTokenCredential } from '../../core/collect/access-token-credential.js';
import { collectScope } from '../../core/collect/collect-scope.js';
import type { CollectTarget } from '../../core/collect/collect-scope-types.js';
import { AuthError, HttpError } from '../../core/errors.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { fakeEstate, SUB_A, SUB_B } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

describe('collectScope errors', () => {
  let sim: ArmSimulator;
  beforeEach(async () => {
    sim = await startArmSimulator({ resources: fakeEstate() });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  const collect = (
    target: Partial<CollectTarget>,
    options: { credential?: TokenCredential } = {},
  ) => {
    const { endpoints, credential, httpClient } = simConnection(sim);
    return collectScope({
      target: { name: 'test', subscriptions: [SUB_A], ...target },
      via: 'arm',
      credential: options.credential ?? credential,
      endpoints,
      httpClient,
      tuning: FAST_TUNING,
    });
  };

  it.each([
    [
      { subscriptions: [SUB_B] },
      HttpError,
      'azure.subscription-not-found',
      `subscription ${SUB_B}: The subscription '${SUB_B}' could not be found. Check the subscription id and that the credential's tenant holds it.`,
    ],
    [
      { resourceGroups: ['rg-missing'] },
      HttpError,
      'azure.resource-group-not-found',
      `resource group rg-missing not found in subscription ${SUB_A}`,
    ],
  ])('a wrong scope %o is an error, never an empty estate', async (target, type, code, message) => {
    const failure = collect(target);

    await expect(failure).rejects.toBeInstanceOf(type);
    await expect(failure).rejects.toMatchObject({ code, message });
  });

  it('names the missing permission when the subscription may not be read', async () => {
    sim.forbid(`/subscriptions/${SUB_A}`);

    await expect(collect({})).rejects.toMatchObject({
      code: 'auth.forbidden',
      message: `subscription ${SUB_A}: missing permission Microsoft.Resources/subscriptions/read on /subscriptions/${SUB_A} (the built-in Reader role grants it)`,
    });
  });

  it('stops on a token the server says has expired', async () => {
    const token = sim.authority.issue();
    sim.authority.expireAll();
    const credential = new AccessTokenCredential(
      token,
      undefined,
      fixedClock('2026-11-22T00:00:00Z'),
    );

    const failure = collect({}, { credential });

    await expect(failure).rejects.toBeInstanceOf(AuthError);
    await expect(failure).rejects.toMatchObject({ code: 'auth.expired' });
  });

  it('stops before any request when the held token has already expired', async () => {
    const credential = new AccessTokenCredential(
      'eyJ.held.token',
      new Date('2026-11-21T00:00:00Z'),
      fixedClock('2026-11-22T00:00:00Z'),
    );

    await expect(collect({}, { credential })).rejects.toMatchObject({ code: 'auth.expired' });
    expect(sim.requests).toEqual([]);
  });

  it('reports a refused client secret as an authentication failure without echoing it', async () => {
    const { httpClient } = simConnection(sim);
    const credential = new ClientSecretCredential(
      sim.tenantId,
      'sim-client',
      'wrong-secret-value',
      {
        authorityHost: sim.url,
        disableInstanceDiscovery: true,
        httpClient,
      },
    );

    const error = (await collect({}, { credential }).catch((e: unknown) => e)) as AuthError;

    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('auth.failed');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('wrong-secret-value');
  });

  it('records an unreadable list page for the subscription, not as an empty subscription', async () => {
    sim.faults.add({ match: /\/resources\?api-version/, action: { kind: 'malformed' } });

    const snapshot = await collect({});

    expect(snapshot.complete).toBe(false);
    expect(snapshot.errors.map((e) => [e.id, e.code])).toEqual([
      [`/subscriptions/${SUB_A}`, 'azure.malformed-response'],
    ]);
  });
});
