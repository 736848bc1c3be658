import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDevOpsPort } from '../../bot/create-ports.js';
import { systemClock } from '../../core/clock.js';
import { runCommand } from '../../core/commands/run-command.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { contosoSeed, SIM_PAT } from '../devops/devops-test-kit.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';

describe('/drift devops through the Azure DevOps simulator', () => {
  let sim: DevOpsSim;
  let store: DriftStore;

  beforeEach(async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    store = await openStore({ memory: true });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await store.close();
    await sim.close();
  });

  it('summarises the real inventory: counts, completeness, organisation', async () => {
    const config = parseConfig(
      { devops: { orgUrl: sim.orgUrl, requestsPerMinute: 6000, buildsSinceDays: 36500 } },
      'test config',
    );
    const env = { AZURE_DEVOPS_PAT: SIM_PAT };
    const devops = createDevOpsPort({
      config,
      env,
      cwd: '/nonexistent',
      store,
      clock: systemClock,
    });
    const reply = await runCommand('devops', {
      store,
      config,
      clock: systemClock,
      scan: async () => {
        throw new Error('not used');
      },
      actor: { id: 'UANYONE' },
      ...(devops ? { devops } : {}),
    });

    expect(reply.outcome).toBe('ok');
    expect(reply.message.header).toBe('Azure DevOps · contoso');
    expect(reply.message.blocks[0]).toEqual({
      kind: 'facts',
      facts: [
        { label: 'Projects', value: '2' },
        { label: 'Repositories', value: '4' },
        { label: 'Pipelines', value: '3' },
        { label: 'Environments', value: '2' },
        { label: 'Applications', value: '3' },
        { label: 'Inventory', value: 'complete' },
      ],
    });
  });
});
