import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');

/** Probe files: where they sit and what they import. The project's own biome.json judges them. */
const PROBES: Record<string, string> = {
  'core/slack-sdk.ts': "import { App } from '@slack/bolt';",
  'core/botbuilder.ts': "import { CloudAdapter } from 'botbuilder';",
  'core/botframework.ts': "import { ConnectorClient } from 'botframework-connector';",
  'core/botframework-schema.ts': "import type { Activity } from 'botframework-schema';",
  'core/teams-sdk.ts': "import { App } from '@microsoft/teams.apps';",
  'core/bot-module.ts': "import { startBot } from '../bot/start-bot.js';",
  'core/neutral.ts': "import { z } from 'zod';",
  'bot/slack/teams-module.ts': "import { mountTeams } from '../teams/mount-teams.js';",
  'bot/slack/botbuilder.ts': "import { CloudAdapter } from 'botbuilder';",
  'bot/slack/own-sdk.ts': "import { App } from '@slack/bolt';",
  'bot/slack/host.ts': "import { createBotServer } from '../http/create-bot-server.js';",
  'bot/teams/slack-module.ts': "import { mountSlack } from '../slack/mount-slack.js';",
  'bot/teams/slack-sdk.ts': "import { App } from '@slack/bolt';",
  'bot/teams/own-sdk.ts': "import { CloudAdapter } from 'botbuilder';",
  'bot/teams/task.ts': "import { run } from '../../task/run-task.js';",
  'bot/start-bot-probe.ts': "import { mountSlack } from './slack/mount-slack.js';",
};

describe('import boundaries (biome noRestrictedImports in biome.json)', () => {
  let dir: string;
  let flagged: Map<string, string[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-boundaries-'));
    copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
    for (const [path, line] of Object.entries(PROBES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      const name = /import (?:type )?\{ (\w+) \}/.exec(line)?.[1];
      writeFileSync(join(dir, path), `${line}\nexport const probe = ${name};\n`);
    }
    // Biome exits 1 when it finds anything; the JSON report is on stdout either way.
    const run = await promisify(execFile)(BIOME, ['lint', '--reporter=json', '.'], {
      cwd: dir,
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(run.stdout) as {
      diagnostics: { category: string; message: string; location: { path: string } }[];
    };
    flagged = new Map();
    for (const d of report.diagnostics) {
      if (d.category !== 'lint/style/noRestrictedImports') continue;
      flagged.set(d.location.path, [...(flagged.get(d.location.path) ?? []), d.message]);
    }
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['core/slack-sdk.ts', 'core/ is host-agnostic: chat SDKs belong in bot/.'],
    ['core/botbuilder.ts', 'core/ is host-agnostic: chat SDKs belong in bot/.'],
    ['core/botframework.ts', 'core/ is host-agnostic: chat SDKs belong in bot/.'],
    ['core/botframework-schema.ts', 'core/ is host-agnostic: chat SDKs belong in bot/.'],
    ['core/teams-sdk.ts', 'core/ is host-agnostic: chat SDKs belong in bot/.'],
    ['core/bot-module.ts', 'core/ must not depend on its hosts.'],
    ['bot/slack/teams-module.ts', 'bot/slack/ and bot/teams/ never import each other'],
    ['bot/slack/botbuilder.ts', 'bot/slack/ and bot/teams/ never import each other'],
    ['bot/teams/slack-module.ts', 'bot/slack/ and bot/teams/ never import each other'],
    ['bot/teams/slack-sdk.ts', 'bot/slack/ and bot/teams/ never import each other'],
    ['bot/teams/task.ts', 'bot/ never depends on task/.'],
  ])('refuses %s', (path, message) => {
    expect(flagged.get(path)?.some((m) => m.startsWith(message))).toBe(true);
  });

  it('lets each adapter import its own SDK and the host, and the host import both adapters', () => {
    const allowed = [
      'core/neutral.ts',
      'bot/slack/own-sdk.ts',
      'bot/slack/host.ts',
      'bot/teams/own-sdk.ts',
      'bot/start-bot-probe.ts',
    ];

    expect(allowed.filter((path) => flagged.has(path))).toEqual([]);
  });
});
