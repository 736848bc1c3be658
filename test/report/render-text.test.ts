import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/model/report.js';
import { renderText } from '../../core/report/render-text.js';
import { SAMPLE_FINDINGS, sampleReport } from '../task/sample-report.js';

const [nsg] = SAMPLE_FINDINGS;
const withTag = (after: string): Finding => ({
  ...nsg!,
  changes: [{ ...nsg!.changes[1]!, severity: 'critical', before: 'web-team', after }],
});

describe('renderText', () => {
  it('prints control characters from a hostile tag value as visible escapes, never the bytes', () => {
    const hostile =
      'x\u001b[2J\u001b[H\u001b]0;pwned\u0007\r  CRITICAL  everything is fine\u009b31m\u202eevil';

    const out = renderText(sampleReport([withTag(hostile)]), { color: false });

    expect(out).toContain(
      'web-team → x\\u001b[2J\\u001b[H\\u001b]0;pwned\\u0007\\u000d  CRITICAL  everything is fine\\u009b31m\\u202eevil',
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is that these control characters are absent
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('escapes control characters in names and attribution too, keeping its own colours', () => {
    const finding = {
      ...withTag('a'),
      resourceName: 'nsg\u001b[31m',
      attribution: { kind: 'actor' as const, summary: 'me\u001b]8;;http://x\u0007' },
    };

    const out = renderText(sampleReport([finding]), { color: true });

    expect(out).toContain('nsg\\u001b[31m');
    expect(out).toContain('me\\u001b]8;;http://x\\u0007');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is that these control characters are absent
    expect(out.match(/\u001b/g)?.length).toBeGreaterThan(0);
    expect(out).not.toContain('\u0007');
  });

  it('never prints two identical values for a change: long values are cut around the difference', () => {
    const prefix = `https://example.com/${'segment/'.repeat(10)}`;
    const finding: Finding = {
      ...nsg!,
      changes: [
        {
          ...nsg!.changes[1]!,
          path: 'properties.endpoint',
          before: `${prefix}v1/end`,
          after: `${prefix}v2/end`,
        },
      ],
    };

    const out = renderText(sampleReport([finding]), { color: false });

    expect(out).toContain(
      '…ent/segment/segment/segment/segment/segment/segment/v1/end → …ent/segment/segment/segment/segment/segment/segment/v2/end',
    );
  });

  it('says a secret changed without showing it', () => {
    const finding: Finding = {
      ...nsg!,
      changes: [
        {
          ...nsg!.changes[1]!,
          path: 'properties.osProfile.adminPassword',
          before: 'OldPassword-1',
          after: 'NewPassword-2',
        },
      ],
    };

    const out = renderText(sampleReport([finding]), { color: false });

    expect(out).toContain('changed (secret, value hidden)');
    expect(out).not.toContain('Password-');
  });
});
