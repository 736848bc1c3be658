import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../core/attribution/attribution-sources.js';
import {
  deploymentTargets,
  overlapsWindow,
  resourceScope,
} from '../../core/attribution/match-deployment.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const VM = `/subscriptions/${SUB.toUpperCase()}/resourceGroups/RG-Net-Prod/providers/Microsoft.Compute/virtualMachines/vm1`;
const deployment = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
  pipeline: 'p',
  runId: '1',
  startedAt: '2026-11-21T10:00:00Z',
  targets: [],
  ...over,
});

describe('resourceScope', () => {
  it('reads subscription and resource group, lower-cased', () => {
    expect(resourceScope(VM)).toEqual({ subscriptionId: SUB, resourceGroup: 'rg-net-prod' });
  });
});

describe('deploymentTargets', () => {
  it.each([
    [
      'declared subscription and group',
      { targets: [{ subscriptionId: SUB, resourceGroup: 'rg-net-prod' }] },
      'declared',
    ],
    [
      'declared group in any subscription',
      { targets: [{ resourceGroup: 'RG-NET-PROD' }] },
      'declared',
    ],
    ['declared whole subscription', { targets: [{ subscriptionId: SUB }] }, 'declared'],
    [
      'declared elsewhere wins over a matching name',
      { environment: 'rg-net-prod', targets: [{ resourceGroup: 'rg-other' }] },
      false,
    ],
    ['inferred: environment named after the group', { environment: 'RG-Net-Prod' }, 'inferred'],
    [
      'inferred: group name whole inside the pipeline name',
      { pipeline: 'deploy rg-net-prod (bicep)' },
      'inferred',
    ],
    ['not a whole-name match', { environment: 'rg-net-prod2' }, false],
    ['nothing to go on', {}, false],
  ] as const)('%s', (_name, over, expected) => {
    expect(deploymentTargets(deployment(over as Partial<DeploymentRecord>), VM)).toBe(expected);
  });
});

describe('overlapsWindow', () => {
  const window = { from: new Date('2026-11-21T09:00:00Z'), to: new Date('2026-11-21T12:00:00Z') };
  it.each([
    ['inside', { startedAt: '2026-11-21T10:00:00Z', finishedAt: '2026-11-21T10:05:00Z' }, true],
    [
      'started before, finished inside',
      { startedAt: '2026-11-21T08:50:00Z', finishedAt: '2026-11-21T09:05:00Z' },
      true,
    ],
    [
      'finished before the window',
      { startedAt: '2026-11-21T08:00:00Z', finishedAt: '2026-11-21T08:30:00Z' },
      false,
    ],
    ['started after the window', { startedAt: '2026-11-21T12:00:01Z' }, false],
    ['still running', { startedAt: '2026-11-21T08:00:00Z' }, true],
  ])('%s', (_name, times, expected) => {
    expect(overlapsWindow(deployment(times), window)).toBe(expected);
  });
});
