import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';
import { allowedActions } from '../../core/remediate/allowed-actions.js';
import type { RemediationPlan } from '../../core/remediate/remediation-plan.js';

const config = parseConfig(
  {
    remediation: {
      scopes: {
        prod: { approvers: ['slack:UADA', 'slack:UBOB', 'slack-group:SOPS'], approvals: 2 },
      },
    },
  },
  'test',
);
const plan = (over: Partial<RemediationPlan> = {}): RemediationPlan => ({
  id: 'a1b2c3d4e5f6',
  version: 1,
  writeId: 'w',
  scope: 'prod',
  strategy: 'accept',
  findings: [],
  resources: [],
  requests: [],
  requester: 'slack:UADA',
  createdAt: '2026-11-27T10:00:00Z',
  expiresAt: '2026-11-28T10:00:00Z',
  state: 'pending',
  approvalsRequired: 2,
  decisions: [],
  history: [],
  ...over,
});
const now = new Date('2026-11-27T12:00:00Z');

describe('allowedActions', () => {
  it.each([
    [
      'the requester of a pending plan: reject and cancel, not approve',
      plan(),
      { id: 'slack:UADA' },
      ['reject', 'cancel'],
    ],
    ['another approver', plan(), { id: 'slack:UBOB' }, ['approve', 'reject', 'cancel']],
    [
      'a member of an approver group',
      plan(),
      { id: 'slack:UZED', groups: ['slack-group:SOPS'] },
      ['approve', 'reject', 'cancel'],
    ],
    [
      'an approver who already approved',
      plan({ decisions: [{ by: 'slack:UBOB', at: 'x', verdict: 'approve' }] }),
      { id: 'slack:UBOB' },
      ['cancel'],
    ],
    ['someone else', plan(), { id: 'slack:UEVE' }, []],
    [
      'the requester of an approved plan',
      plan({ state: 'approved' }),
      { id: 'slack:UADA' },
      ['apply', 'cancel'],
    ],
    ['anyone on an applied plan', plan({ state: 'applied' }), { id: 'slack:UBOB' }, []],
    [
      'anyone once the plan has expired',
      plan({ expiresAt: '2026-11-27T11:00:00Z' }),
      { id: 'slack:UBOB' },
      [],
    ],
  ])('%s', (_name, p, actor, expected) => {
    expect(allowedActions(config, p, actor, now)).toEqual(expected);
  });
});
