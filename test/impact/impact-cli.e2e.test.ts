import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../core/model/report.js';
import { runCli, startCli } from '../cli/run-cli.js';
import { SIM_PRICE_ROWS } from '../sim/prices/sim-price-rows.js';
import { type PricesSim, startPricesSimulator } from '../sim/prices/start-prices-simulator.js';

/** The built CLI, run without blocking this process (the prices simulator answers from here). */
function cliAsync(
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, { cwd, env: { NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

describe('driftwatch impact (built CLI)', () => {
  let cwd: string;
  let sim: PricesSim;
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-impact-'));
    sim = await startPricesSimulator({ rows: SIM_PRICE_ROWS });
  });
  afterEach(async () => {
    expect(sim.unexpected).toEqual([]);
    await sim.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('demo: the SSH finding names the VMs it exposes and the resized VM its monthly delta', () => {
    const r = runCli(['demo'], { cwd, env: { NO_COLOR: '1' } });

    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    expect(lines).toContain(
      '# cost: list prices from the demo price table (round numbers written for the demo, not Azure prices)',
    );
    expect(lines).toContain(
      'guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production',
    );
    expect(lines).toContain('fronts nothing in this snapshot · itself internet-facing');
    expect(lines).toContain(
      '+$438/month at list price (Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope))',
    );
    expect(lines).toContain(
      'this drift adds about $442/month at list price (no reservations, savings plans or negotiated prices)',
    );
    expect(sim.requests).toEqual([]);
  });

  it('diff: prices from the configured endpoint, impact and cost in the JSON report', async () => {
    runCli(['demo', '--export', 'estate'], { cwd, env: { NO_COLOR: '1' } });
    writeFileSync(
      join(cwd, 'driftwatch.config.json'),
      JSON.stringify({
        impact: { cost: { enabled: true, endpoint: sim.endpoint, currency: 'USD' } },
      }),
    );

    const r = await cliAsync(
      [
        'diff',
        '--baseline',
        'estate/baseline.json',
        '--current',
        'estate/current.json',
        '--format',
        'json',
      ],
      cwd,
    );

    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const byName = (name: string) => report.findings.find((f) => f.resourceName === name);
    expect(byName('nsg-web-prod')?.impact?.radius.map((e) => e.name)).toEqual([
      'vnet-prod/snet-web',
      'nic-vm-api-01',
      'nic-vm-api-02',
      'vm-api-01',
      'vm-api-02',
    ]);
    expect(byName('vm-api-02')?.cost).toEqual({
      status: 'priced',
      currency: 'USD',
      what: 'Standard_D4s_v5 → Standard_D16s_v5 (Linux, westeurope)',
      monthlyBefore: 146,
      monthlyAfter: 584,
      monthlyDelta: 438,
    });
    expect(report.summary.cost).toMatchObject({
      currency: 'USD',
      monthlyDelta: 441.65,
      priced: 2,
      unpriced: 0,
    });
    expect(sim.requests.length).toBe(3);
  });

  it('diff: no prices asked unless cost is enabled', async () => {
    runCli(['demo', '--export', 'estate'], { cwd, env: { NO_COLOR: '1' } });

    const r = await cliAsync(
      ['diff', '--baseline', 'estate/baseline.json', '--current', 'estate/current.json'],
      cwd,
    );

    expect(r.stdout).toContain(
      'guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production',
    );
    expect(r.stdout).not.toContain('/month');
    expect(sim.requests).toEqual([]);
  });
});
