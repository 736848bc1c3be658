import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { collectScope } from '../../core/collect/collect-scope.js';
import { createAzureClients } from '../../core/collect/create-azure-clients.js';
import { pickApiVersion, resolveApiVersions } from '../../core/collect/resolve-api-versions.js';
import type { ArmResource } from '../../core/model/resource.js';
import { openStore } from '../../core/store/open-store.js';
import { typeOfId } from '../sim/arm/sim-estate.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { describeWithFixtures, fixture } from '../support/requirements.js';
import { SUB_A } from './fake-estate.js';
import { FAST_TUNING, simConnection } from './sim-harness.js';

interface ExampleFile {
  parameters: { 'api-version': string };
  responses: { '200': { body: ArmResource } };
}

/** The spec examples' bodies; placeholder subscriptions (`subid`, `{subscription-id}`) become a GUID. */
function armExamples(): Array<{ file: string; apiVersion: string; body: ArmResource }> {
  return readdirSync(fixture('arm'))
    .filter((f) => !f.startsWith('Microsoft.Resources.'))
    .map((file) => {
      const text = readFileSync(fixture(`arm/${file}`), 'utf8').replace(
        /\/subscriptions\/(subid|\{subscription-id\})\//g,
        `/subscriptions/${SUB_A}/`,
      );
      const example = JSON.parse(text) as ExampleFile;
      return {
        file,
        apiVersion: example.parameters['api-version'],
        body: example.responses['200'].body,
      };
    });
}

const subscriptionOf = (id: string) =>
  (/^\/subscriptions\/([^/]+)/i.exec(id) as RegExpExecArray)[1] as string;

describeWithFixtures('ARM simulator conformance with real responses', () => {
  let sim: ArmSimulator;
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
  });

  it.each(['arm', 'graph'] as const)(
    'the real SDK reads every spec example back exactly (%s)',
    async (via) => {
      const examples = armExamples();
      sim = await startArmSimulator({
        resources: examples.map((e) => e.body),
        apiVersions: Object.fromEntries(
          examples.map((e) => [typeOfId(e.body.id) as string, [e.apiVersion]]),
        ),
      });
      const { endpoints, credential, httpClient } = simConnection(sim);

      const snapshot = await collectScope({
        target: {
          name: 'fixtures',
          subscriptions: [...new Set(examples.map((e) => subscriptionOf(e.body.id)))],
        },
        credential,
        endpoints,
        httpClient,
        via,
        tuning: FAST_TUNING,
      });

      expect(snapshot.errors).toEqual([]);
      const byId = new Map(snapshot.resources.map((r) => [r.id.toLowerCase(), r]));
      for (const { body } of examples) {
        const expected =
          via === 'graph' && body.type !== 'Microsoft.Web/sites/config'
            ? { ...body, type: body.type?.toLowerCase() }
            : body;
        expect(byId.get(body.id.toLowerCase())).toEqual(expected);
      }
      expect(snapshot.resources).toHaveLength(examples.length);
    },
  );

  it("pages like the real recording's nextLink chain and returns the same resources in order", async () => {
    const recording = JSON.parse(
      readFileSync(
        fixture('sdk-recordings/arm-resources.recording_resources_list_test.json'),
        'utf8',
      ),
    ) as {
      Entries: Array<{ RequestUri: string; ResponseBody: { value: ArmResource[] } }>;
    };
    const recorded = recording.Entries.flatMap((e) => e.ResponseBody.value);
    sim = await startArmSimulator({ resources: recorded });
    const { endpoints, credential, httpClient } = simConnection(sim);
    const client = createAzureClients({
      credential,
      endpoints,
      httpClient,
      tuning: FAST_TUNING,
    }).arm('azure_subscription_id');

    const read: string[] = [];
    for await (const item of client.resources.list({
      filter: "ResourceType eq 'Microsoft.OperationsManagement/solutions'",
      top: 1,
    }))
      read.push(item.id as string);

    expect(read).toEqual(recorded.map((r) => r.id));
    const names = (uri: string) => [...new URL(uri).searchParams.keys()];
    const served = sim.requests
      .filter((r) => r.url.includes('/resources?'))
      .map((r) => names(`https://x${r.url}`));
    expect(served).toEqual(recording.Entries.map((e) => names(e.RequestUri)));
  });

  it('resolves the newest stable api-version per type from the providers list, then from the store cache', async () => {
    const providers = (
      JSON.parse(
        readFileSync(fixture('arm/Microsoft.Resources.providers.GetProviders.json'), 'utf8'),
      ) as {
        responses: {
          '200': {
            body: {
              value: Array<{
                namespace: string;
                resourceTypes: Array<{ resourceType: string; apiVersions: string[] }>;
              }>;
            };
          };
        };
      }
    ).responses['200'].body.value;
    const apiVersions = Object.fromEntries(
      providers.flatMap((p) =>
        p.resourceTypes.map((t) => [`${p.namespace}/${t.resourceType}`, t.apiVersions]),
      ),
    );
    sim = await startArmSimulator({ apiVersions });
    sim.estate.addSubscription(SUB_A);
    const { endpoints, credential, httpClient } = simConnection(sim);
    const clients = createAzureClients({ credential, endpoints, httpClient, tuning: FAST_TUNING });
    const store = await openStore({ memory: true });
    const run = () => ({
      target: { name: 't', subscriptions: [SUB_A] },
      clients,
      clock: fixedClock('2026-11-22T00:00:00Z'),
      store,
      apiVersions: new Map(),
      progress: () => undefined,
    });

    const first = await resolveApiVersions(run(), SUB_A);
    const second = await resolveApiVersions(run(), SUB_A); // a later run: from the store's cache

    const expected = Object.fromEntries(
      Object.entries(apiVersions).map(([type, versions]) => [
        type.toLowerCase(),
        pickApiVersion(versions),
      ]),
    );
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(sim.requests.filter((r) => r.url.includes('/providers?'))).toHaveLength(1);
    await store.close();
  });
});

it.each([
  [['2023-01-01', '2024-05-01-preview', '2023-09-01'], '2023-09-01'],
  [['2018-01-01', '2015-05-01'], '2018-01-01'],
  [['2024-10-01-preview', '2024-01-01-preview'], '2024-10-01-preview'],
  [[], undefined],
])('pickApiVersion(%o) is %s', (versions, expected) => {
  expect(pickApiVersion(versions)).toBe(expected);
});
