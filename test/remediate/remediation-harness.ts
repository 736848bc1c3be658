import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import type { Clock } from '../../core/clock.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { ArmResource } from '../../core/model/resource.js';
import { openRemediation } from '../../core/remediate/open-remediation.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import { runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { FAST_TUNING, simConnection } from '../collect/sim-harness.js';
import type { ArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { buildTestChild } from '../support/build-test-child.js';

export const SUB = '00000000-0000-0000-0000-0000000000aa';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-web/providers`;
export const STORAGE_ID = `${RG}/Microsoft.Storage/storageAccounts/stweb`;
export const NSG_ID = `${RG}/Microsoft.Network/networkSecurityGroups/nsg-web`;

/** A storage account (reverted with PATCH) and a network security group (reverted with PUT). */
export function remediationEstate(): ArmResource[] {
  return [
    {
      id: STORAGE_ID,
      name: 'stweb',
      type: 'Microsoft.Storage/storageAccounts',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS', tier: 'Standard' },
      tags: { env: 'prod' },
      properties: {
        provisioningState: 'Succeeded',
        allowBlobPublicAccess: false,
        minimumTlsVersion: 'TLS1_2',
        supportsHttpsTrafficOnly: true,
        creationTime: '2026-01-05T10:00:00Z',
      },
    },
    {
      id: NSG_ID,
      name: 'nsg-web',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westeurope',
      etag: 'W/"nsg-1"',
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: '5b1e8a53-7a4c-4a5e-9a51-0f7f3c1b2d11',
        securityRules: [
          {
            name: 'allow-https',
            properties: {
              access: 'Allow',
              direction: 'Inbound',
              priority: 100,
              protocol: 'Tcp',
              sourceAddressPrefix: '*',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: '443',
            },
          },
        ],
      },
    },
  ];
}

/** Config with one scope and its remediation policy (overridable per test). */
export function remediationConfig(
  sim: ArmSimulator,
  policy: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  scope = 'prod',
): DriftwatchConfig {
  return parseConfig(remediationConfigDocument(sim, policy, extra, scope), 'test');
}

/** The config file's document (written as `driftwatch.config.yaml` for CLI processes). */
export function remediationConfigDocument(
  sim: ArmSimulator,
  policy: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  scope = 'prod',
): Record<string, unknown> {
  return {
    scopes: { [scope]: { subscriptions: [SUB] } },
    azure: { endpoints: { resourceManager: sim.url, authorityHost: sim.url } },
    remediation: {
      scopes: {
        [scope]: {
          approvers: ['cli:ada', 'cli:bob', 'slack:U024BE7LH'],
          strategies: ['revert', 'accept'],
          ...policy,
        },
      },
      ...extra,
    },
  };
}

/** Scans the scope through the simulator (the real SDK client), as `driftwatch scan` does. */
export function scanScope(
  sim: ArmSimulator,
  store: DriftStore,
  config: DriftwatchConfig,
  saveBaseline = false,
  scope = 'prod',
) {
  const { credential, httpClient } = simConnection(sim);
  return runScan({
    scope,
    config,
    env: {},
    cwd: '/nonexistent',
    store,
    credential,
    httpClient,
    driftignore: '',
    via: 'arm',
    tuning: { ...FAST_TUNING, maxRetries: 1 },
    ...(saveBaseline ? { saveBaseline: true } : {}),
  });
}

/**
 * The workflow wired to the simulator, as the CLI wires it; `more` adds or replaces options
 * (the redeploy harness passes its DevOps token and session).
 */
export function simRemediation(
  sim: ArmSimulator,
  store: DriftStore,
  config: DriftwatchConfig,
  clock: Clock,
  more: Partial<Parameters<typeof openRemediation>[0]> = {},
): Remediation {
  const { credential, httpClient } = simConnection(sim);
  return openRemediation({
    config,
    env: {},
    cwd: '/nonexistent',
    store,
    clock,
    credential,
    httpClient,
    pollIntervalMs: 0,
    ...more,
  });
}

/** A clock tests move by hand. */
export function fakeClock(
  start = '2026-11-25T10:00:00Z',
): Clock & { tick(ms: number): void; set(iso: string): void } {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    tick: (ms) => {
      now += ms;
    },
    set: (iso) => {
      now = new Date(iso).getTime();
    },
  };
}

/** Drift made in the portal: public blob access on, TLS 1.0; and an NSG rule opened to SSH. */
export function driftEstate(sim: ArmSimulator): void {
  const [storage, nsg] = remediationEstate() as [ArmResource, ArmResource];
  sim.estate.put({
    ...storage,
    properties: {
      ...storage.properties,
      allowBlobPublicAccess: true,
      minimumTlsVersion: 'TLS1_0',
      provisioningState: 'Updating',
    },
  });
  const rules = (nsg.properties?.securityRules as Array<Record<string, unknown>>) ?? [];
  sim.estate.put({
    ...nsg,
    etag: 'W/"nsg-2"',
    properties: {
      ...nsg.properties,
      securityRules: [
        ...rules,
        {
          name: 'allow-ssh',
          properties: {
            access: 'Allow',
            direction: 'Inbound',
            priority: 110,
            protocol: 'Tcp',
            sourceAddressPrefix: 'Internet',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRange: '22',
          },
        },
      ],
    },
  });
}

/** `driftwatch remediate plan` for one finding, as JSON (the process suites parse the plan). */
export function planCommand(fingerprint: string, scope: string, strategy: string): string[] {
  return [
    'remediate',
    'plan',
    fingerprint,
    '--scope',
    scope,
    '--strategy',
    strategy,
    '--format',
    'json',
  ];
}

/** Where the remediate CLI processes keep their one shared store: a file, or Redis. */
export type StoreTarget = { path: string } | { redisUrl: string };

/**
 * Builds the remediate CLI child (test/remediate/cli-child.ts) once before the file's tests;
 * call at the top level of a test file. Returns the built script's path once built.
 */
export function buildCliChildOnce(): () => string {
  let child = '';
  beforeAll(async () => {
    child = await buildTestChild('test/remediate/cli-child.ts');
  }, 60_000);
  return () => child;
}

/** The scan port of chat tests that never scan from chat: it fails if they do. */
export const noScan: ScanPort = () =>
  Promise.reject(new Error('these tests do not scan from chat'));

/**
 * A fresh working directory for `driftwatch` processes: `document` as its driftwatch.config.yaml
 * and the ARM simulator's CA beside it; and the environment in which a process trusts that CA
 * and holds a token the simulator accepts (nothing else of this process's environment).
 */
export function cliWorkdir(
  arm: ArmSimulator,
  document: unknown,
  prefix: string,
): { cwd: string; env: Record<string, string> } {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(cwd, 'driftwatch.config.yaml'), JSON.stringify(document));
  writeFileSync(join(cwd, 'sim-ca.pem'), arm.caPem);
  return {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: join(cwd, 'sim-ca.pem'),
      DRIFTWATCH_ACCESS_TOKEN: arm.authority.issue('sim-client'),
    },
  };
}

/** The environment that points a `driftwatch` process at the store `target`. */
export const storeTargetEnv = (target: StoreTarget): Record<string, string> =>
  'path' in target ? { DRIFTWATCH_STORE: target.path } : { REDIS_URL: target.redisUrl };
