import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/model/report.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { SAMPLE_FINDINGS, sampleReport } from '../task/sample-report.js';

const [nsg] = SAMPLE_FINDINGS;

describe('renderMarkdown', () => {
  it('carries each finding’s fingerprint and the same finding count as the JSON summary', () => {
    const report = sampleReport();

    const md = renderMarkdown(report);

    expect(md.split('\n')[0]).toBe(
      '## Drift in scope `prod`: 3 findings (1 drifted · 1 added · 0 removed · 1 unknown), worst critical',
    );
    expect(report.summary.findings).toBe(3);
    expect(md).toContain('| Severity | Resource | Change | Rule | Who / what | Fingerprint |');
    for (const f of report.findings) expect(md).toContain(`| \`${f.fingerprint}\` |`);
    expect(md).toContain('Accept an expected finding with `driftwatch accept <fingerprint>`.');
  });

  it('escapes Azure data so it cannot add links, HTML, code spans or table cells', () => {
    const finding: Finding = {
      ...nsg!,
      resourceName: 'nsg`|`x',
      changes: [
        {
          ...nsg!.changes[1]!,
          before: 'ok',
          after: '[x](https://e.v) <b>x</b> **y** a|b',
        },
      ],
      attribution: { kind: 'actor', summary: '![img](https://evil.example/p.png)' },
    };

    const md = renderMarkdown(sampleReport([finding]));

    expect(md).toContain(
      "| critical | `nsg'\\|'x` | tags.owner: ok → \\[x\\](https://e.v) &lt;b&gt;x&lt;/b&gt; \\*\\*y\\*\\* a\\|b | nsg-mgmt-port-open-to-any: SSH reachable from anywhere | \\!\\[img\\](https://evil.example/p.png) | `fp-nsg` |",
    );
  });

  it('cuts long values around the part that differs', () => {
    const finding: Finding = {
      ...nsg!,
      changes: [
        {
          ...nsg!.changes[1]!,
          path: 'properties.value',
          before: `${'x'.repeat(60)}-old-${'y'.repeat(30)}`,
          after: `${'x'.repeat(60)}-new-${'y'.repeat(30)}`,
        },
      ],
    };

    const md = renderMarkdown(sampleReport([finding]));

    expect(md).toContain(
      'properties.value: …xxxxxxxxxxx-old-yyyyyyyyyyyyyyyyyyyyyy… → …xxxxxxxxxxx-new-yyyyyyyyyyyyyyyyyyyyyy…',
    );
  });
});

describe('renderMarkdown with impact', () => {
  it('adds an Impact column and the cost line when findings carry them, escaped', async () => {
    const { demoSnapshots } = await import('../../core/demo/demo-snapshots.js');
    const { demoPriceCatalogue } = await import('../../core/demo/demo-prices.js');
    const { compareSnapshots } = await import('../../core/engine/compare-snapshots.js');
    const { enrichImpact } = await import('../../core/impact/enrich-impact.js');
    const { baseline, current } = demoSnapshots();
    const report = await enrichImpact(compareSnapshots(baseline, current, { scope: 'demo' }), {
      baseline,
      current,
      prices: demoPriceCatalogue(),
    });

    const md = renderMarkdown(report);

    expect(md).toContain(
      '| Severity | Resource | Change | Rule | Who / what | Impact | Fingerprint |',
    );
    expect(md).toContain('guards 2 VMs: vm-api-01, vm-api-02 · 1 internet-facing · 2 production');
    expect(md).toMatch(/\+\$438\/month at list price \(Standard\\_D4s\\_v5 → Standard\\_D16s\\_v5/);
    expect(md).toMatch(/\nthis drift adds about \$442\/month at list price/);
  });
});
