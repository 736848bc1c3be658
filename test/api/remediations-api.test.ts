import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DriftwatchConfig } from '../../core/config/config-schema.js';
import { openRemediation } from '../../core/remediate/open-remediation.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import { openStore } from '../../core/store/open-store.js';
import { type ApiHarness, harnessKeys, KEYS, startApiHarness } from './api-harness.js';
import { AUDIENCE, startOpenIdSim, TENANT } from './openid-sim.js';
import { findingFixture, reportFixture } from './report-fixture.js';

const APPROVER_OID = '11111111-2222-3333-4444-555555555555';
const SUB = '00000000-0000-0000-0000-000000000001';

describe('remediations API (mirrors remediate plan, list, status, approve, reject, cancel, apply)', () => {
  let sim: Awaited<ReturnType<typeof startOpenIdSim>>;
  let h: ApiHarness;
  let remediation: Remediation;
  let approver: string;

  beforeAll(async () => {
    sim = await startOpenIdSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    const store = await openStore({ memory: true });
    const clock = { now: () => new Date() };
    const remediationSection = {
      scopes: { prod: { approvers: [`entra:${APPROVER_OID}`], strategies: ['accept'] } },
    };
    const config = DriftwatchConfig.parse({
      scopes: { prod: { subscriptions: [SUB] } },
      remediation: remediationSection,
    });
    remediation = openRemediation({
      config,
      env: {},
      cwd: mkdtempSync(join(tmpdir(), 'dw-api-rem-')),
      store,
      clock,
    });
    h = await startApiHarness({
      store,
      clock,
      remediation,
      config: {
        remediation: remediationSection,
        api: {
          keys: harnessKeys(),
          entra: { tenantId: TENANT, audience: AUDIENCE, authority: sim.url },
        },
      },
    });
    await store.setBaseline('prod', {
      schemaVersion: 1,
      complete: true,
      resources: ['aaaa1111aaaa1111', 'bbbb2222bbbb2222'].map((name) => ({
        id: findingFixture(name).resourceId,
        name,
        type: 'Microsoft.Web/sites',
      })),
      errors: [],
    });
    await store.saveReport(
      reportFixture('prod', new Date().toISOString(), [
        findingFixture('aaaa1111aaaa1111'),
        findingFixture('bbbb2222bbbb2222', { severity: 'low' }),
      ]),
    );
    approver = await sim.token({ oid: APPROVER_OID, roles: ['Driftwatch.Admin'] });
  });
  afterEach(async () => {
    await h.close();
    await remediation.close();
  });

  const plan = (key: string, body: Record<string, unknown> = {}) =>
    h.call('POST', '/api/v1/remediations', {
      key,
      body: {
        scope: 'prod',
        findings: ['aaaa1111'],
        strategy: 'accept',
        reason: 'expected',
        ...body,
      },
    });

  it('previews a plan without storing it, then plans it', async () => {
    const preview = await plan(KEYS.admin, { dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ scope: 'prod', strategy: 'accept', state: 'pending' });
    expect((await h.call('GET', '/api/v1/remediations', { key: KEYS.admin })).body.plans).toEqual(
      [],
    );

    const planned = await plan(KEYS.admin);
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({
      scope: 'prod',
      state: 'pending',
      requester: 'api-key:admin',
    });
    const listed = await h.call('GET', '/api/v1/remediations?scope=prod&state=pending', {
      key: KEYS.prodReader,
    });
    expect(listed.body.plans.map((p: { id: string }) => p.id)).toEqual([planned.body.id]);
    const none = await h.call('GET', '/api/v1/remediations?state=applied', { key: KEYS.admin });
    expect(none.body.plans).toEqual([]);
    const one = await h.call('GET', `/api/v1/remediations/${planned.body.id}`, {
      key: KEYS.prodReader,
    });
    expect(one.body.id).toBe(planned.body.id);
  });

  it('lets a configured approver approve through an Entra token, and refuses an API key that is not one', async () => {
    const { body: planned } = await plan(KEYS.admin);
    const byKey = await h.call('POST', `/api/v1/remediations/${planned.id}/approve`, {
      key: KEYS.admin,
    });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error).toMatchObject({
      code: 'forbidden',
      reason: 'remediation.not-approver',
    });

    const early = await h.call('POST', `/api/v1/remediations/${planned.id}/apply`, {
      key: KEYS.admin,
    });
    expect(early.status).toBe(403);
    expect(early.body.error).toEqual({
      code: 'forbidden',
      reason: 'remediation.not-approved',
      message: `plan ${planned.id} has 0 of 1 approvals; it cannot be applied yet`,
    });

    const approved = await h.call('POST', `/api/v1/remediations/${planned.id}/approve`, {
      key: approver,
      body: { reason: 'looks right' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    const applied = await h.call('POST', `/api/v1/remediations/${planned.id}/apply`, {
      key: KEYS.admin,
    });
    // The workflow runs (and records its outcome in the plan): this store holds no collected snapshot
    // to accept, so the apply ends `failed` with the reason, exactly as `remediate apply` would.
    expect(applied.status).toBe(200);
    expect(applied.body.state).toBe('failed');
    expect(applied.body.history.at(-1)).toMatchObject({
      state: 'failed',
      by: 'api-key:admin',
      note: 'scope prod has no collected snapshot in the store; run driftwatch scan prod first',
    });
  });

  it('rejects and cancels', async () => {
    const { body: first } = await plan(KEYS.admin);
    const rejected = await h.call('POST', `/api/v1/remediations/${first.id}/reject`, {
      key: approver,
    });
    expect(rejected.body.state).toBe('rejected');
    const { body: second } = await plan(KEYS.admin, { findings: ['bbbb2222'] });
    const cancelled = await h.call('POST', `/api/v1/remediations/${second.id}/cancel`, {
      key: KEYS.admin,
      body: { reason: 'not needed' },
    });
    expect(cancelled.body.state).toBe('cancelled');
  });

  it('refuses planning to a read-only key, unknown fields and unknown plans', async () => {
    expect((await plan(KEYS.prodReader)).status).toBe(403);
    const bad = await plan(KEYS.admin, { strategy: 'delete' });
    expect(bad.body.error).toEqual({
      code: 'bad-body',
      parameter: 'strategy',
      message: 'strategy: expected one of revert, redeploy, accept',
    });
    const missing = await h.call('GET', '/api/v1/remediations/ffffffff', { key: KEYS.admin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.reason).toBe('usage.no-plan');
  });
});
