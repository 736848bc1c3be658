import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../core/report/render-junit.js';
import { SAMPLE_FINDINGS, sampleReport } from '../task/sample-report.js';

describe('renderJunit', () => {
  it('writes one failing testcase per finding with the changes in the failure body', () => {
    const xml = renderJunit(sampleReport());

    expect(xml).toMatchSnapshot();
    expect(xml).toContain(
      '<testsuites name="driftwatch" tests="3" failures="3" errors="0" time="0">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml).toContain(
      '<testcase classname="Microsoft.Network/networkSecurityGroups" name="nsg-web-prod: modified (critical)" time="0">',
    );
    expect(xml).toContain(
      '  [low] tags.owner: web-team → &lt;ops &amp; "infra"&gt; (tag-changed: a tag changed)',
    );
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const [first] = SAMPLE_FINDINGS;
    const evil = { ...first!, resourceName: 'a"b<c>&\'d\u0001e', why: 'line one\nline two' };

    const xml = renderJunit(sampleReport([evil]));

    expect(xml).toContain('name="a&quot;b&lt;c&gt;&amp;&apos;de: modified (critical)"');
    expect(xml).toContain(
      'message="critical modified a&quot;b&lt;c&gt;&amp;&apos;de: line one&#10;line two"',
    );
    expect(xml).not.toContain('\u0001');
  });

  it('hides secrets in values', () => {
    const [first] = SAMPLE_FINDINGS;
    const leaky = {
      ...first!,
      changes: [
        {
          ...first!.changes[0]!,
          path: 'properties.connectionString',
          after: 'Server=x;Password=hunter2-secret;',
        },
      ],
    };

    const xml = renderJunit(sampleReport([leaky]));

    expect(xml).toContain('properties.connectionString: changed (secret, value hidden)');
    expect(xml).not.toContain('hunter2');
  });

  it('writes one passing testcase when there is no drift', () => {
    const xml = renderJunit(sampleReport([]));

    expect(xml).toContain('tests="1" failures="0"');
    expect(xml).toContain(
      '<testcase classname="driftwatch.prod" name="no drift in 1215 resources" time="0"/>',
    );
  });
});
