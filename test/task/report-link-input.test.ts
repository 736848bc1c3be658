import { describe, expect, it } from 'vitest';
import { verifyReportLinkToken } from '../../core/api/report-link-token.js';
import { signReportLink } from '../../core/api/sign-report-link.js';
import { decideGateResult } from '../../task/decide-gate-result.js';
import { renderPipelineSummary } from '../../task/render-pipeline-summary.js';
import { readTaskParameters } from '../../task/task-parameters.js';
import { fakeTaskHost } from './fake-task-host.js';
import { sampleReport } from './sample-report.js';

const SECRET = 'pipeline-link-secret-0123456789abcdefgh';
const base = { azureSubscription: 'conn-1', baselineSource: 'file', baselineFile: 'baseline.json' };
const variables = { 'System.DefaultWorkingDirectory': '/src' };

describe('the pipeline summary links the report page', () => {
  it('reads reportUrl and reportLinkSecret together and masks the secret in the agent log', () => {
    const { host, secrets } = fakeTaskHost({
      inputs: {
        ...base,
        reportUrl: 'https://driftwatch.contoso.com/reports',
        reportLinkSecret: SECRET,
      },
      variables,
    });
    expect(readTaskParameters(host).reportLink).toEqual({
      baseUrl: 'https://driftwatch.contoso.com/reports',
      secret: SECRET,
    });
    expect(secrets).toContain(SECRET);
  });

  it.each([
    [
      { reportUrl: 'https://driftwatch.contoso.com/reports' },
      'reportLinkSecret',
      'set reportUrl and reportLinkSecret together',
    ],
    [{ reportLinkSecret: SECRET }, 'reportUrl', 'set reportUrl and reportLinkSecret together'],
    [
      { reportUrl: 'javascript:alert(1)', reportLinkSecret: SECRET },
      'reportUrl',
      "expected the report pages' address such as https://driftwatch.contoso.com/reports",
    ],
    [
      { reportUrl: 'https://dw.contoso.com/reports', reportLinkSecret: 'short' },
      'reportLinkSecret',
      'at least 32 characters',
    ],
  ])('refuses %j naming %s', (inputs, name, text) => {
    const { host } = fakeTaskHost({ inputs: { ...base, ...inputs }, variables });
    expect(() => readTaskParameters(host)).toThrow(
      new RegExp(`${name}.*${text.replace(/[()]/g, '\\$&')}`),
    );
  });

  it('ends the summary with the signed link, its token intact', () => {
    const report = sampleReport();
    const link = signReportLink({
      baseUrl: 'https://driftwatch.contoso.com/reports',
      secret: SECRET,
      ttlMs: 86_400_000,
      reportId: 'a1b2c3d4e5f60718',
      scope: 'prod',
      now: new Date('2026-11-21T10:00:00Z'),
    });
    const markdown = renderPipelineSummary({
      report,
      decision: decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] }),
      failOn: 'high',
      baseline: 'recorded by pipeline',
      unreadable: [],
      reportLink: link,
    });
    expect(markdown.endsWith(`\n[View full report](${link})\n`)).toBe(true);
    const token = new URL(link).searchParams.get('token');
    expect(
      verifyReportLinkToken({
        secret: SECRET,
        token,
        reportId: 'a1b2c3d4e5f60718',
        now: new Date('2026-11-21T11:00:00Z'),
      }).ok,
    ).toBe(true);
  });
});
