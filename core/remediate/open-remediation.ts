import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import { resolveEndpoints } from '../collect/azure-clouds.js';
import { createAzureClients } from '../collect/create-azure-clients.js';
import { createCredential } from '../collect/create-credential.js';
import { createHttpClient } from '../collect/create-http-client.js';
import { resolveCredentialSpec } from '../collect/resolve-credential-spec.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { DevOpsSession, OpenDevOpsOptions } from '../devops/open-devops.js';
import { buildEngineRules } from '../engine/engine-rules.js';
import type { Sleep } from '../resilience/abortable-sleep.js';
import { listChatIgnoreRules } from '../store/chat-ignore-rules.js';
import type { DriftStore } from '../store/drift-store.js';
import { createRemediationAzure } from './remediation-azure.js';
import { createRemediationDevOps } from './remediation-devops.js';
import { Remediation } from './remediation-service.js';

/**
 * The remediation workflow wired like a scan: the config's Azure credential and endpoints
 * (through the collectors' SDK pipeline), the scan's engine rules (config, `.driftignore` in
 * `cwd`, ignore rules made in chat), and the store. Azure is reached only when a `revert` or
 * `redeploy` is planned, applied or reconciled (`redeploy` only reads it); Azure DevOps (`devops:`,
 * through the rate-limited adapter) only for `redeploy`. Call `close()` when done.
 *
 * @example
 * const remediation = openRemediation({ config, env: process.env, cwd, store, clock: systemClock });
 */
export function openRemediation(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  store: DriftStore;
  clock: Clock;
  credential?: TokenCredential;
  caPem?: string;
  httpClient?: HttpClient;
  pollIntervalMs?: number;
  /** `redeploy`: how the Azure DevOps session is opened (tests: a fast budget). */
  openDevOpsSession?: (options: OpenDevOpsOptions) => DevOpsSession;
  /** `redeploy`: waits between polls of the run. */
  sleep?: Sleep;
}): Remediation {
  const { config, env, cwd, store, clock } = options;
  const endpoints = resolveEndpoints(config.azure, env);
  const httpClient =
    options.httpClient ?? (options.caPem ? createHttpClient({ caPem: options.caPem }) : undefined);
  let azure: ReturnType<typeof createRemediationAzure> | undefined;
  const lazyAzure = () => {
    azure ??= createRemediationAzure({
      clients: createAzureClients({
        credential:
          options.credential ??
          createCredential(resolveCredentialSpec(config.azure.credential, env, cwd), {
            authorityHost: endpoints.authorityHost,
            clock,
            ...(httpClient ? { httpClient } : {}),
          }),
        endpoints,
        ...(httpClient ? { httpClient } : {}),
      }),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
    return azure;
  };
  const driftignore = resolve(cwd, '.driftignore');
  const devops = createRemediationDevOps({
    config,
    env,
    store,
    clock,
    entraCredential: () =>
      options.credential ??
      createCredential(resolveCredentialSpec(config.azure.credential, env, cwd), {
        authorityHost: endpoints.authorityHost,
        clock,
        ...(httpClient ? { httpClient } : {}),
      }),
    ...(options.openDevOpsSession ? { openSession: options.openDevOpsSession } : {}),
  });
  return new Remediation({
    store,
    config,
    clock,
    devops,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    azure: {
      apiVersionOf: (id) => lazyAzure().apiVersionOf(id),
      read: (id, version) => lazyAzure().read(id, version),
      write: (request, started) => lazyAzure().write(request, started),
      resume: (request, operation) => lazyAzure().resume(request, operation),
    },
    rules: async (scope) =>
      buildEngineRules({
        config,
        now: clock.now(),
        extraIgnores: await listChatIgnoreRules(store, scope),
        ...(existsSync(driftignore)
          ? { driftignore: readFileSync(driftignore, 'utf8'), driftignoreSource: '.driftignore' }
          : {}),
      }),
  });
}
