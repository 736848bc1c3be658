import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { DevOpsInventory } from '../../core/devops/devops-inventory.js';
import { type DevOpsSim, startDevOpsSim } from '../sim/devops/start-devops-sim.js';
import { contosoSeed } from './devops-test-kit.js';

const ORG = contosoSeed().organization;

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  return { stream, text: () => text };
}

describe('driftwatch devops discover', () => {
  let sim: DevOpsSim;
  let cwd: string;
  beforeEach(async () => {
    sim = await startDevOpsSim({ seed: contosoSeed() });
    cwd = mkdtempSync(join(tmpdir(), 'driftwatch-devops-'));
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      `devops:\n  orgUrl: ${sim.orgUrl}\n  requestsPerMinute: 6000\n  buildsSinceDays: 36500\n`,
    );
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const run = async (
    args: string[],
    env: Record<string, string> = { AZURE_DEVOPS_PAT: 'sim-pat' },
  ) => {
    const out = capture();
    const err = capture();
    const code = await main(['devops', 'discover', ...args], {
      env,
      cwd,
      stdout: out.stream,
      stderr: err.stream,
      signal: new AbortController().signal,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  };

  it('prints the inventory as JSON and reuses it from the store within the TTL', async () => {
    const first = await run(['--project', 'data', '--format', 'json']);
    const requestsAfterFirst = sim.requests.length;
    const second = await run(['--project', 'data', '--format', 'json']);

    const inventory = JSON.parse(first.stdout) as DevOpsInventory;
    expect(first.code).toBe(0);
    expect(inventory.complete).toBe(true);
    expect(inventory.projects.map((p) => [p.name, p.repositories.map((r) => r.name)])).toEqual([
      ['data', ['etl']],
    ]);
    expect((JSON.parse(second.stdout) as DevOpsInventory).cachedAt).toBe(inventory.collectedAt);
    // The only request of the second run verifies the credential, with the preview api-version.
    expect(sim.requests.slice(requestsAfterFirst).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /${ORG}/_apis/connectionData`,
    ]);
  });

  it('never answers a refused PAT from the cache', async () => {
    const first = await run(['--project', 'data', '--format', 'json']);

    const second = await run(['--project', 'data', '--format', 'json'], {
      AZURE_DEVOPS_PAT: 'revoked-pat-0123456789',
    });

    expect(first.code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`Azure DevOps at ${sim.orgUrl} refused the credentials (401)`);
  });

  it('does not hand one identity the inventory cached for another', async () => {
    await sim.close();
    sim = await startDevOpsSim({
      seed: contosoSeed(),
      tokens: { 'sim-pat': ['*'], 'other-pat-0123456789': ['*'] },
    });
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      `devops:\n  orgUrl: ${sim.orgUrl}\n  requestsPerMinute: 6000\n`,
    );
    await run(['--project', 'data', '--format', 'json']);

    const other = await run(['--project', 'data', '--format', 'json'], {
      AZURE_DEVOPS_PAT: 'other-pat-0123456789',
    });

    expect(other.code).toBe(0);
    expect((JSON.parse(other.stdout) as DevOpsInventory).cachedAt).toBeUndefined();
  });

  it('prints text, and marks a partial inventory and exits 1', async () => {
    await sim.close();
    sim = await startDevOpsSim({
      seed: contosoSeed(),
      tokens: { 'narrow-pat-123456': ['vso.project', 'vso.code', 'vso.build', 'vso.release'] },
    });
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      `devops:\n  orgUrl: ${sim.orgUrl}\n  requestsPerMinute: 6000\n`,
    );

    const result = await run(['--project', 'platform'], { AZURE_DEVOPS_PAT: 'narrow-pat-123456' });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('· PARTIAL — 1 part(s) could not be read');
    expect(result.stdout).toContain(
      '  1 projects · 3 repositories · 3 pipelines · 4 builds · environments not read · 1 release definitions\n',
    );
    expect(result.stdout).toContain('  repo      api (main) · 9e1c2f0 2026-11-21 dev1@contoso.com');
    expect(result.stdout).toContain(
      'Not read (the inventory above is incomplete)\n  project platform: environments: Azure DevOps refused to list environments in project platform (401): the token needs the Environment (Read & manage) scope (vso.environment_manage)',
    );
    expect(result.stderr).toContain(
      'driftwatch: the Azure DevOps inventory is partial: 1 part(s) could not be read',
    );
  });

  it('names the missing PAT variables', async () => {
    const result = await run([], {});

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'driftwatch: no Azure DevOps personal access token: set AZURE_DEVOPS_PAT or DRIFTWATCH_DEVOPS_PAT (scopes: Project and Team, Code, Build, Environment, Release — all Read), or use devops.auth.kind: entra\n',
    );
  });
});
