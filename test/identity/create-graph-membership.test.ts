import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../core/errors.js';
import { createGraphMembership } from '../../core/identity/create-graph-membership.js';
import { type GraphSimulator, startGraphSimulator } from '../sim/graph/start-graph-simulator.js';

const ALICE = '6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10';
const BOB = '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a';
const LEADS = 'b8a3e1d2-4c5f-4a6b-8c9d-0e1f2a3b4c5d';
const STRANGER = '11111111-2222-4333-8444-555555555555';

/** A credential that hands out one fixed token and records the scopes asked for. */
function fakeCredential(token: string) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scope) => {
      scopes.push(String(scope));
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { credential, scopes };
}

describe('createGraphMembership', () => {
  let graph: GraphSimulator;
  let clock = 0;
  const waits: number[] = [];
  beforeAll(async () => {
    graph = await startGraphSimulator({
      memberships: { [ALICE]: [LEADS], [BOB]: [] },
      forbiddenToken: 'no-consent',
    });
  });
  afterAll(() => graph.close());
  const membership = (token = 'graph-token') =>
    createGraphMembership({
      credential: fakeCredential(token).credential,
      graphUrl: graph.url,
      now: () => clock,
      sleep: async (ms) => void waits.push(ms),
    });

  it('asks checkMemberGroups with a Graph token and answers by object id, case-insensitively', async () => {
    const inGroup = membership();
    const before = graph.calls.length;

    const answers = [await inGroup(LEADS.toUpperCase(), ALICE), await inGroup(LEADS, BOB)];

    expect(answers).toEqual([true, false]);
    expect(graph.calls.slice(before)).toEqual([
      {
        method: 'POST',
        path: `/v1.0/users/${ALICE}/checkMemberGroups`,
        token: 'graph-token',
        body: { groupIds: [LEADS] },
      },
      {
        method: 'POST',
        path: `/v1.0/users/${BOB}/checkMemberGroups`,
        token: 'graph-token',
        body: { groupIds: [LEADS] },
      },
    ]);
  });

  it('asks once a minute per user and group', async () => {
    const inGroup = membership();
    const before = graph.calls.length;

    await inGroup(LEADS, ALICE);
    await inGroup(LEADS, ALICE);
    clock += 61_000;
    await inGroup(LEADS, ALICE);

    expect(graph.calls.length - before).toBe(2);
  });

  it("waits out a 429's Retry-After and asks again", async () => {
    const inGroup = membership();
    waits.length = 0;
    graph.throttle(1, 3);

    expect(await inGroup(LEADS, ALICE)).toBe(true);
    expect(waits).toEqual([3000]);
  });

  it.each([
    [
      'a missing permission',
      'no-consent',
      ALICE,
      'graph.forbidden',
      "Microsoft Graph refused to read group membership (403): grant the bot's identity the GroupMember.Read.All application permission, with admin consent",
    ],
    [
      'an unknown user',
      'graph-token',
      STRANGER,
      'graph.unknown-user',
      'Microsoft Graph does not know this user in the tenant (404)',
    ],
  ])(
    'throws for %s instead of answering "not a member"',
    async (_case, token, user, code, message) => {
      const error = await membership(token)(LEADS, user).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HttpError);
      expect([(error as HttpError).code, (error as HttpError).message]).toEqual([code, message]);
    },
  );

  it('answers no without asking for ids that are not object ids (they would go into a URL path)', async () => {
    const before = graph.calls.length;

    expect(await membership()(LEADS, '../me')).toBe(false);
    expect(graph.calls.length).toBe(before);
  });

  it('made no request the simulator did not understand', () => {
    expect(graph.unexpected).toEqual([]);
  });
});
