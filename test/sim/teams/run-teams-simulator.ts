import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { SimMember } from './sim-conversations.js';
import { startTeamsSimulator } from './start-teams-simulator.js';

/**
 * Standalone Teams simulator for trying a running `driftwatch bot` by hand:
 * `node test/sim/teams/cli.mjs --write-env sim.env --ca-file sim-ca.pem [--bot-url URL]`.
 * Writes the bot's environment (UserAssignedMSI against the simulator's managed-identity endpoint,
 * so stock botbuilder gets its token) and serves. Each stdin line is delivered to the bot as Alice
 * in channel `19:ops@thread.tacv2` (`install` installs the app there first; `invoke VERB [JSON]`
 * clicks a button) and the bot's answer and connector calls are printed as JSON lines.
 */
const { values } = parseArgs({
  options: {
    'write-env': { type: 'string', default: 'teams-sim.env' },
    'ca-file': { type: 'string', default: 'teams-sim-ca.pem' },
    'bot-url': { type: 'string', default: 'http://127.0.0.1:3978/api/messages' },
  },
});
const alice: SimMember = {
  id: '29:1alice',
  aadObjectId: 'a11ce000-0000-4000-8000-000000000001',
  name: 'Alice Ops',
};
const channel = '19:ops@thread.tacv2';
const sim = await startTeamsSimulator();
sim.addConversation({ id: channel, conversationType: 'channel', name: 'ops', members: [alice] });
const auth = sim.botFrameworkAuthConfig();
const env = {
  MicrosoftAppId: sim.botAppId,
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: sim.tenantId,
  ...sim.managedIdentityEnv,
  ToBotFromChannelOpenIdMetadataUrl: auth.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: auth.ToBotFromChannelTokenIssuer,
  ToChannelFromBotLoginUrl: auth.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: auth.ToChannelFromBotOAuthScope,
  OAuthUrl: auth.OAuthUrl,
  NODE_EXTRA_CA_CERTS: values['ca-file'],
};
writeFileSync(values['ca-file'], sim.caPem);
writeFileSync(
  values['write-env'],
  `${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`,
);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
print({ url: sim.url, loginUrl: sim.loginUrl, envFile: values['write-env'], channel, alice });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const text = line.trim();
  if (!text) continue;
  const before = sim.calls.length;
  const [word, verb, json] = text.split(/\s+/, 3);
  const activity =
    word === 'install'
      ? sim.installationUpdate(channel, alice.id, 'add')
      : word === 'invoke' && verb
        ? sim.invoke(channel, alice.id, { verb, data: json ? JSON.parse(json) : {} })
        : sim.message(channel, alice.id, text);
  try {
    const res = await sim.deliver(values['bot-url'], activity);
    print({ status: res.status, body: res.body });
  } catch (error) {
    print({ error: (error as Error).message });
  }
  for (const call of sim.calls.slice(before))
    print({ call: call.operation, status: call.status, body: call.body });
  if (sim.unexpected.length) print({ unexpected: sim.unexpected.splice(0) });
}
await sim.close();
