import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';
const HOSTILE = '\u001b[2J\u001b[H\u001b]0;owned\u0007\r  CRITICAL  all clear, nothing to see';
const account = (owner: string) => ({
  id: ID,
  name: 'st1',
  type: 'Microsoft.Storage/storageAccounts',
  tags: { owner },
  properties: { minimumTlsVersion: 'TLS1_2' },
});

function workspace(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'dw-untrusted-'));
  writeFileSync(join(cwd, 'base.json'), JSON.stringify([account('web-team')]));
  writeFileSync(join(cwd, 'hostile.json'), JSON.stringify([account(HOSTILE)]));
  writeFileSync(
    join(cwd, 'links.json'),
    JSON.stringify([account('[pay](https://e.v) <img src=x> a|b')]),
  );
  return cwd;
}

describe('text from Azure in CLI output', () => {
  it('a hostile tag value cannot clear the screen, set the title or draw a line of its own', () => {
    const cwd = workspace();

    const r = runCli(['diff', '--baseline', 'base.json', '--current', 'hostile.json', '--all'], {
      cwd,
      env: { FORCE_COLOR: '1' },
    });

    expect(r.status).toBe(2);
    expect(r.stdout).toContain(
      'web-team → \\u001b[2J\\u001b[H\\u001b]0;owned\\u0007\\u000d  CRITICAL  all clear, nothing to see',
    );
    // Colour is forced, so driftwatch's own SGR sequences are there; none of the data's.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is that these control characters are absent
    expect(r.stdout).not.toMatch(/\u001b\[(2J|H)|\u001b\]|\u0007|\r/);
  });

  it('Markdown output gains no link, HTML or table cell from a tag value', () => {
    const cwd = workspace();

    const r = runCli(
      ['diff', '--baseline', 'base.json', '--current', 'links.json', '--format', 'md'],
      { cwd },
    );

    expect(r.stdout).toContain(
      '| tags.owner: web-team → \\[pay\\](https://e.v) &lt;img src=x&gt; a\\|b |',
    );
  });
});
