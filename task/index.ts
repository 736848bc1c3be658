import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import {
  AuthError,
  ConfigError,
  isDriftwatchError,
  StoreError,
  UsageError,
} from '../core/errors.js';
import { describeError } from '../core/redact/redact-secrets.js';
import { applyAgentProxy } from './apply-agent-proxy.js';
import { openBaselineSource } from './open-baseline-source.js';
import { publishGateOutcome } from './publish-gate-outcome.js';
import { runDriftGate } from './run-drift-gate.js';
import { readServiceConnection } from './service-connection-auth.js';
import type { TaskHost } from './task-host.js';
import { createTaskLibHost } from './task-lib-host.js';
import { readTaskParameters } from './task-parameters.js';

// Replaced at build time by esbuild (`define`), read from package.json.
declare const __DRIFTWATCH_VERSION__: string | undefined;
const VERSION = typeof __DRIFTWATCH_VERSION__ === 'string' ? __DRIFTWATCH_VERSION__ : '0.0.0-dev';

/** The task's entry: read inputs, run the gate, and map every failure to a Failed result. */
async function run(host: TaskHost): Promise<void> {
  try {
    applyAgentProxy(host, process.env);
    const params = readTaskParameters(host);
    const connection = readServiceConnection(host, params.connection);
    const baseline = await openBaselineSource(params.baseline, systemClock);
    try {
      const outcome = await runDriftGate(params, connection, { clock: systemClock, baseline });
      publishGateOutcome(host, params, outcome, VERSION);
    } finally {
      await baseline.close();
    }
  } catch (error) {
    host.setResult('Failed', describeFailure(host, error));
  }
}

/** One localised line naming what failed; secrets never reach it. */
function describeFailure(host: TaskHost, error: unknown): string {
  const text = describeError(error);
  if (error instanceof UsageError && typeof error.details.input === 'string') {
    return host.loc('InputInvalid', error.details.input, String(error.details.reason ?? text));
  }
  if (error instanceof AuthError) {
    const { connection, scheme } = error.details;
    if (error.code === 'task.auth-scheme')
      return host.loc('AuthSchemeUnsupported', String(connection), String(scheme));
    // Already names the connection and the missing parameter.
    if (error.code === 'task.auth-incomplete') return text;
    return host.loc(
      'AuthFailed',
      String(connection ?? host.input('azureSubscription') ?? '?'),
      text,
    );
  }
  if (error instanceof ConfigError) return host.loc('InputInvalid', 'configFile', text);
  if (error instanceof StoreError) return host.loc('StoreFailed', text);
  if (isDriftwatchError(error)) return host.loc('ScanFailed', text);
  return host.loc('Unexpected', text);
}

// The bundle lives in <task>/dist/index.js; task.json is one folder up.
void run(createTaskLibHost(join(__dirname, '..')));
