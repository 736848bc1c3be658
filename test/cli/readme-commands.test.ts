import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/requirements.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** README's examples run as written on a fresh clone (issue 9 §7). */
describe('README commands', () => {
  it('starts with commands that need nothing but the checkout', () => {
    const first = README.split('```sh\n')[1]?.split('```')[0] ?? '';
    const commands = first
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);

    expect(commands).toEqual(['npm ci && npm run demo', 'npm test']);
    expect([PACKAGE.scripts.demo, PACKAGE.scripts.test]).toEqual([
      'node bin/driftwatch.js demo',
      'npm run lint && npm run typecheck && npm run build && vitest run',
    ]);
  });

  it('never runs driftwatch through npx, which would ask the public registry for the name', () => {
    expect(README.match(/^\s*npx driftwatch.*$/gm)).toBeNull();
    expect(README).toContain('npm link              # from the checkout, after npm ci');
  });

  it('npm run demo works from the checkout', () => {
    const store = join(mkdtempSync(join(tmpdir(), 'dw-readme-')), 'store.sqlite');

    const run = spawnSync('npm', ['run', '--silent', 'demo'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        DRIFTWATCH_STORE: store,
        // No version check against the registry: the test is about the checkout alone.
        npm_config_update_notifier: 'false',
      },
      timeout: 60_000,
    });

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('a real check exits 2 on this drift');
  });
});
