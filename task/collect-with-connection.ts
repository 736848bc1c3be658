import type { CollectScopeFn } from './run-drift-gate.js';

/** Collects a scope through the collectors with the service connection's credential and endpoints. */
export const collectWithConnection: CollectScopeFn = async () => {
  throw new Error('collectors not wired yet');
};
