import type { SimMember } from './sim-conversations.js';

// The people of the Teams tests: their 29: ids (what the connector calls them) and Entra object
// ids (what driftwatch's access lists name), the same in every suite.

export const ALICE: SimMember = {
  id: '29:1alice',
  aadObjectId: 'a11ce000-0000-4000-8000-000000000001',
  name: 'Alice Ops',
};

export const BOB: SimMember = {
  id: '29:1bob',
  aadObjectId: 'b0b00000-0000-4000-8000-000000000002',
  name: 'Bob Dev',
};

/** An admin who never wrote to the bot: it looks her up in the conversation to refresh for her. */
export const CAROL: SimMember = {
  id: '29:1carol',
  aadObjectId: 'ca201000-0000-4000-8000-000000000003',
  name: 'Carol Lead',
};
