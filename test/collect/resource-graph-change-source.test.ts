import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createResourceGraphChangeSource } from '../../core/collect/resource-graph-change-source.js';
import type { SimChange } from '../sim/arm/sim-estate.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';
import { fakeEstate, SUB_A } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

const estate = fakeEstate(SUB_A, 2);
const st0 = estate[0]?.id as string;
const st1 = estate[1]?.id as string;

describe('createResourceGraphChangeSource', () => {
  let sim: ArmSimulator;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  const source = () => {
    const { endpoints, credential, httpClient } = simConnection(sim);
    return createResourceGraphChangeSource({
      credential,
      endpoints,
      httpClient,
      tuning: FAST_TUNING,
    });
  };

  it('returns who changed what and when inside the window, oldest first', async () => {
    const changes: SimChange[] = [
      {
        resourceId: st0,
        changeType: 'Update',
        timestamp: '2026-11-21T09:14:00Z',
        changedBy: 'ops-user@contoso.com',
        clientType: 'Azure Portal',
        operation: 'Microsoft.Storage/storageAccounts/write',
        changes: { 'properties.allowBlobPublicAccess': { previousValue: false, newValue: true } },
      },
      {
        resourceId: st0,
        changeType: 'Create',
        timestamp: '2026-11-20T08:00:00Z',
        changedBy: '3f1c0000-0000-4000-8000-000000000001',
        clientType: 'ARM Template',
      },
      {
        resourceId: st1,
        changeType: 'Update',
        timestamp: '2026-11-01T00:00:00Z',
        changedBy: 'old@contoso.com',
      },
    ];
    sim = await startArmSimulator({ resources: estate, changes });

    const result = await source().listChanges({
      resourceIds: [st0, st1],
      from: new Date('2026-11-19T00:00:00Z'),
      to: new Date('2026-11-22T00:00:00Z'),
    });

    expect(result).toEqual({
      errors: [],
      changes: [
        {
          resourceId: st0,
          changedAt: '2026-11-20T08:00:00Z',
          changeType: 'Create',
          changedBy: '3f1c0000-0000-4000-8000-000000000001',
          clientType: 'ARM Template',
          operation: 'Microsoft.Storage/storageAccounts/write',
        },
        {
          resourceId: st0,
          changedAt: '2026-11-21T09:14:00Z',
          changeType: 'Update',
          changedBy: 'ops-user@contoso.com',
          clientType: 'Azure Portal',
          operation: 'Microsoft.Storage/storageAccounts/write',
          changedProperties: ['properties.allowBlobPublicAccess'],
          propertyChanges: [{ path: 'properties.allowBlobPublicAccess', category: 'User' }],
        },
      ],
    });
  });

  it('returns a failed query as errors for its resources, never as "no changes"', async () => {
    sim = await startArmSimulator({ resources: estate });
    sim.faults.add({ match: /ResourceGraph/, action: { kind: 'status', status: 503 }, times: 100 });

    const result = await source().listChanges({
      resourceIds: [st0],
      from: new Date('2026-11-19T00:00:00Z'),
      to: new Date('2026-11-22T00:00:00Z'),
    });

    expect(result).toEqual({
      changes: [],
      errors: [
        {
          id: st0,
          message:
            'Resource Graph resourcechanges query: Azure answered 503 after retries (ServiceUnavailable)',
        },
      ],
    });
  });
});

describeWithFixtures('createResourceGraphChangeSource with the recorded resource changes', () => {
  it('answers from changes seeded out of the real example', async () => {
    const example = JSON.parse(
      readFileSync(
        fixture(
          'resourcegraph/Microsoft.ResourceGraph.resourceChanges.ResourceChangesNextPage.json',
        ),
        'utf8',
      ),
    ) as {
      responses: {
        '200': {
          body: {
            changes: Array<{
              changeId: string;
              changeType: 'Update' | 'Create';
              resourceId: string;
              afterSnapshot: { timestamp: string };
            }>;
          };
        };
      };
    };
    const recorded = example.responses['200'].body.changes;
    const sim = await startArmSimulator({
      changes: recorded.map((c) => ({
        resourceId: c.resourceId,
        changeId: c.changeId,
        changeType: c.changeType,
        timestamp: c.afterSnapshot.timestamp,
      })),
    });
    sim.estate.addSubscription('4d962866-1e3f-47f2-bd18-450c08f914c1');
    const { endpoints, credential, httpClient } = simConnection(sim);
    const source = createResourceGraphChangeSource({
      credential,
      endpoints,
      httpClient,
      tuning: FAST_TUNING,
    });

    const result = await source.listChanges({
      resourceIds: [recorded[0]?.resourceId as string],
      from: new Date('2018-10-30T12:09:03.141Z'),
      to: new Date('2018-10-31T12:09:03.141Z'),
    });

    expect(result.changes.map((c) => [c.changeType, c.changedAt])).toEqual([
      ['Create', '2018-10-31T02:01:02.163Z'],
      ['Update', '2018-10-31T05:12:32.087Z'],
    ]);
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });
});
