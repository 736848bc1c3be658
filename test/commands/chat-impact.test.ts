import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { describeFinding } from '../../core/commands/describe-finding.js';
import { summariseReport } from '../../core/commands/summarise-report.js';
import { demoPriceCatalogue } from '../../core/demo/demo-prices.js';
import { demoSnapshots } from '../../core/demo/demo-snapshots.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { enrichImpact } from '../../core/impact/enrich-impact.js';
import { openStore } from '../../core/store/open-store.js';

const clock = fixedClock('2026-11-21T10:00:00Z');

async function demoReport() {
  const { baseline, current } = demoSnapshots();
  return enrichImpact(compareSnapshots(baseline, current, { scope: 'demo', clock }), {
    baseline,
    current,
    prices: demoPriceCatalogue(),
  });
}

describe('chat messages carry what a finding touches and what it costs', () => {
  it('names the VMs the SSH finding exposes and the resize’s monthly delta', async () => {
    const report = await demoReport();
    const ssh = report.findings.find((f) => f.rule === 'nsg-mgmt-port-open-to-any');
    const resize = report.findings.find((f) => f.rule === 'vm-size-changed');
    expect(describeFinding(ssh ?? report.findings[0]!).details).toContain(
      'guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production',
    );
    expect(describeFinding(resize ?? report.findings[0]!).details.join('\n')).toMatch(
      /^\+\$438\/month at list price \(Standard_D4s_v5 → Standard_D16s_v5/m,
    );
  });

  it('sums the cost in the summary’s context line', async () => {
    const report = await demoReport();
    const store = await openStore({ memory: true });
    const message = await summariseReport({
      report,
      reportId: 'r1',
      scope: 'demo',
      store,
      now: clock.now(),
      timezone: 'UTC',
      topFindings: 5,
    });
    await store.close();
    const context = message.blocks.find((b) => b.kind === 'context');
    expect(context && 'lines' in context ? context.lines.join('\n') : '').toMatch(
      /this drift adds about \$\d[\d,]*\/month at list price/,
    );
  });
});
