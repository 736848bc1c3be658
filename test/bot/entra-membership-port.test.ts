import { describe, expect, it } from 'vitest';
import { createEntraMembershipPort } from '../../bot/create-ports.js';
import { fixedClock } from '../../core/clock.js';
import { fakeConfig, fakeStore, NOW } from '../commands/fake-drift.js';

const LEADS = 'b8a3e1d2-4c5f-4a6b-8c9d-0e1f2a3b4c5d';

describe('createEntraMembershipPort', () => {
  it.each([
    ['off by default: Teams users matched by object id only', {}, false],
    [
      'on with chat.access.teams.groupMembership: graph',
      { teams: { adminGroups: [LEADS], groupMembership: 'graph' } },
      true,
    ],
  ])('%s', async (_case, access, built) => {
    const store = await fakeStore();
    const config = fakeConfig({ access: { admins: ['UADMIN1'], ...access } });

    const port = createEntraMembershipPort({
      config,
      env: {},
      cwd: '/',
      store,
      clock: fixedClock(NOW),
    });
    await store.close();

    expect(typeof port === 'function').toBe(built);
  });
});
