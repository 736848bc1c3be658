import { describe, expect, it } from 'vitest';
import { decideGateResult } from '../../task/decide-gate-result.js';
import { renderPipelineSummary } from '../../task/render-pipeline-summary.js';
import { SAMPLE_FINDINGS, sampleReport } from './sample-report.js';

const BASELINE =
  'recorded by pipeline "api-deploy", run 4411 (commit 9e1c2f0) at 2026-11-20 18:02 UTC';

describe('renderPipelineSummary', () => {
  it('leads with the verdict, one row per finding, then the baseline and what to do', () => {
    const report = sampleReport();
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown).toBe(
      [
        '## Drift gate: FAILED — 1 critical finding at or above `high` in scope prod',
        '',
        '| Severity | Resource | Change | Who / what | Fingerprint |',
        '| --- | --- | --- | --- | --- |',
        '| critical | nsg-web-prod | properties.securityRules\\[allow-ssh\\].properties.sourceAddressPrefix 10.10.0.4/32 → \\* (+1 more) | ops-user@contoso.com via Azure Portal | `fp-nsg` |',
        '| medium | stprodlogs01 | added (Microsoft.Storage/storageAccounts) | — | `fp-st` |',
        '| info | web | not readable: 403 AuthorizationFailed | — | `fp-cfg` |',
        '',
        `Baseline: ${BASELINE} · 1,215 resources · 1 unknown · 3,912 platform changes suppressed`,
        '',
        'What to do: revert the change in Azure and run the pipeline again, or accept the drift with `driftwatch accept <fingerprint>` (fingerprints are in the table and the JSON report).',
        '',
      ].join('\n'),
    );
  });

  it('says what could not be read when the collection was incomplete', () => {
    const report = sampleReport([], false);
    const decision = decideGateResult(report, {
      failOn: 'high',
      mode: 'fail',
      unreadable: ['/subscriptions/s1: 403 | denied'],
    });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: ['/subscriptions/s1: 403 | denied'],
    });

    expect(markdown.split('\n')[0]).toBe(
      '## Drift gate: PASSED WITH ISSUES — no drift in scope prod',
    );
    expect(markdown).toContain(
      '**Incomplete:** not readable: /subscriptions/s1: 403 \\| denied. This run cannot pass cleanly.',
    );
  });

  it('does not repeat the resource id in the reason of an unreadable resource', () => {
    const [, , unknown] = SAMPLE_FINDINGS;
    const finding = {
      ...unknown!,
      reason: `${unknown!.resourceId}: missing permission Microsoft.Web/sites/config/read on ${unknown!.resourceId} (the built-in Reader role grants it)`,
    };
    const report = sampleReport([finding], false);
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown).toContain(
      '| info | web | not readable: missing permission Microsoft.Web/sites/config/read (the built-in Reader role grants it) | — | `fp-cfg` |',
    );
  });

  it('shows a dash when the cause is unknown', () => {
    const [first] = SAMPLE_FINDINGS;
    const finding = {
      ...first!,
      attribution: {
        kind: 'unknown' as const,
        summary: 'cause unknown: Azure DevOps is not configured',
      },
    };
    const report = sampleReport([finding]);
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown).toContain('(+1 more) | — | `fp-nsg` |');
  });

  it('counts findings below the threshold in the headline', () => {
    const report = sampleReport(SAMPLE_FINDINGS.slice(1));
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown.split('\n')[0]).toBe(
      '## Drift gate: PASSED WITH ISSUES — 1 medium finding below `high` in scope prod',
    );
  });

  it('escapes Azure data with the same Markdown escaper as the report: no links, HTML or cells', () => {
    const [first] = SAMPLE_FINDINGS;
    const finding = {
      ...first!,
      resourceName: 'nsg|x',
      changes: [
        {
          ...first!.changes[1]!,
          before: 'ok',
          after: '[click](https://evil.example) <img src=x onerror=alert(1)> `code` | cell',
        },
      ],
    };
    const report = sampleReport([finding]);
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown).toContain(
      '| critical | nsg\\|x | tags.owner ok → \\[click\\](https://evil.example) &lt;img src=x onerror=alert(1)&gt; \\`code\\` \\| cell | ops-user@contoso.com via Azure Portal | `fp-nsg` |',
    );
  });

  it('shows a secret change hidden, never its value', () => {
    const [first] = SAMPLE_FINDINGS;
    const finding = {
      ...first!,
      changes: [
        {
          ...first!.changes[1]!,
          path: 'properties.siteConfig.connectionString',
          before: 'Server=a;Password=OldPassw0rd!',
          after: 'Server=a;Password=NewPassw0rd!',
        },
      ],
    };
    const report = sampleReport([finding]);
    const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });

    const markdown = renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: BASELINE,
      unreadable: [],
    });

    expect(markdown).toContain(
      'properties.siteConfig.connectionString changed (secret, value hidden)',
    );
    expect(markdown).not.toMatch(/Passw0rd/);
  });
});
