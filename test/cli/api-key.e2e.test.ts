import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hashApiKey, matchApiKey } from '../../core/api/api-key.js';
import { parseConfig } from '../../core/config/load-config.js';
import { runCli } from './run-cli.js';

describe('driftwatch api-key create', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dw-api-key-'));

  it('prints a new key once and the config entry holding only its SHA-256', () => {
    const { status, stdout, stderr } = runCli(
      ['api-key', 'create', 'ci-pipeline', '--scopes', 'prod,staging', '--change', 'staging'],
      { cwd },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const key = /^ {2}(dwk_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1] ?? '';
    expect(key).not.toBe('');
    const yaml = stdout.slice(stdout.indexOf('api:'), stdout.indexOf('\n\nUse it as'));
    const entry = {
      name: 'ci-pipeline',
      sha256: hashApiKey(key),
      read: ['prod', 'staging'],
      change: ['staging'],
    };
    expect(parse(yaml)).toEqual({ api: { keys: [entry] } });
    expect(stdout.split(key)).toHaveLength(2);
    const config = parseConfig({ ...parse(yaml) }, 'snippet');
    expect(matchApiKey(config.api?.keys ?? [], key)?.name).toBe('ci-pipeline');
  });

  it('makes a different key every time', () => {
    const keys = [1, 2].map(
      (n) =>
        /(dwk_\S+)/.exec(
          runCli(['api-key', 'create', `k${n}`, '--scopes', '*'], { cwd }).stdout,
        )?.[1],
    );
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each([
    [
      ['api-key', 'create', 'ci'],
      'name the scopes the key may read with --scopes prod,staging (or * for all), and those it may change with --change',
    ],
    [
      ['api-key', 'create', 'bad name', '--scopes', 'prod'],
      'NAME: key names use letters, digits, ".", "_" and "-"',
    ],
    [
      ['api-key', 'create', 'ci', '--scopes', 'pr od'],
      '--scopes: scope names use letters, digits, ".", "_" and "-"',
    ],
  ])('refuses %j with one clear error', (args, message) => {
    const { status, stdout, stderr } = runCli(args, { cwd });
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});
