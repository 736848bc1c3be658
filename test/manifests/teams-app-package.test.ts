import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from '../../core/commands/command-usage.js';
import { CHAT_VERBS } from '../../core/config/sections/chat-config.js';
import { PROJECT_ROOT } from '../support/requirements.js';
import { readPng } from './read-png.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const { AppManifestUtils } = require('@microsoft/app-manifest') as {
  AppManifestUtils: { validateAgainstSchema(m: unknown, schema: unknown): Promise<string[]> };
};
const SCHEMAS = resolve(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams',
);
const APP_ID = '7d1f0a2e-5b3c-4e8f-9a61-0c2b4d6e8f10';
const TEAMS_APP_ID = '0b6c0f9e-2f1a-4c3d-9e8b-7a6f5e4d3c2b';
const VERSION = (
  JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

type Command = { title: string; description: string };
type Manifest = {
  manifestVersion: string;
  version: string;
  id: string;
  name: { short: string };
  developer: Record<string, string>;
  icons: { color: string; outline: string };
  validDomains: string[];
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Command[] }>;
  }>;
};

function dirname(path: string) {
  return resolve(path, '..');
}

const schemaFor = (version: string) =>
  JSON.parse(readFileSync(join(SCHEMAS, `v${version}`, 'MicrosoftTeams.schema.json'), 'utf8'));

async function packageTeams(env: Record<string, string>) {
  const outDir = mkdtempSync(join(tmpdir(), 'teams-pkg-'));
  const result = await run(
    process.execPath,
    [resolve(PROJECT_ROOT, 'scripts/package-teams.mjs'), '--out-dir', outDir],
    { env: { PATH: process.env.PATH ?? '', ...env } },
  ).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return { ...result, outDir };
}

describe('the Teams app package (npm run package:teams)', () => {
  let files: Record<string, Uint8Array>;
  let manifest: Manifest;

  beforeAll(async () => {
    const { code, stderr, outDir } = await packageTeams({
      MicrosoftAppId: APP_ID,
      TEAMS_APP_ID,
      DRIFTWATCH_PUBLIC_URL: 'https://driftwatch.contoso.com/',
    });
    expect([code, stderr]).toEqual([0, '']);
    files = unzipSync(readFileSync(join(outDir, `driftwatch-teams-${VERSION}.zip`)));
    manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
  });

  it('zips exactly the manifest and the two icons, flat', () => {
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('fills the ids, version, name and domain from the environment', () => {
    expect({
      id: manifest.id,
      botId: manifest.bots[0]?.botId,
      version: manifest.version,
      name: manifest.name.short,
      validDomains: manifest.validDomains,
      website: manifest.developer.websiteUrl,
    }).toEqual({
      id: TEAMS_APP_ID,
      botId: APP_ID,
      version: VERSION,
      name: 'driftwatch',
      validDomains: ['driftwatch.contoso.com'],
      website: 'https://driftwatch.contoso.com',
    });
  });

  it('validates against the official schema of its manifest version, the newest GA one bundled', async () => {
    const bundled = readdirSync(SCHEMAS)
      .filter((d) => /^v\d+\.\d+$/.test(d))
      .map((d) => d.slice(1))
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));

    expect(manifest.manifestVersion).toBe(bundled.at(-1));
    expect(
      await AppManifestUtils.validateAgainstSchema(manifest, schemaFor(manifest.manifestVersion)),
    ).toEqual([]);
  });

  it('the schema check is real: a broken manifest fails it with the path named', async () => {
    const broken = {
      ...manifest,
      accentColor: 'blue',
      bots: [{ ...manifest.bots[0], botId: 'x' }],
    };

    const errors = await AppManifestUtils.validateAgainstSchema(
      broken,
      schemaFor(manifest.manifestVersion),
    );

    expect(errors.map((e) => e.split(' ')[0])).toEqual(['/accentColor', '/bots/0/botId']);
  });

  it('offers the bot in teams, group chats and personal chats', () => {
    expect(manifest.bots[0]?.scopes).toEqual(['team', 'groupChat', 'personal']);
    expect(manifest.bots[0]?.commandLists.map((l) => l.scopes)).toEqual([
      ['team', 'groupChat', 'personal'],
    ]);
  });

  // Teams allows 12 commands in a list (the 1.30 schema's maxItems); `audit`, the 13th verb, is
  // typed or found through `help`.
  it('lists one command per chat verb but audit, described as the help text describes it', () => {
    const commands = manifest.bots[0]?.commandLists[0]?.commands ?? [];

    expect(commands.map((c) => c.title)).toEqual(CHAT_VERBS.filter((v) => v !== 'audit'));
    for (const command of commands) {
      const usage = COMMAND_USAGE[command.title as (typeof CHAT_VERBS)[number]];
      expect(command.description).toContain(usage.does);
      expect(command.description.startsWith(command.title)).toBe(true);
    }
  });

  // Teams' documented limits for bot commands (stricter than the 1.30 schema's maxLength).
  it.each([
    ['title', 32],
    ['description', 128],
  ] as const)('keeps every command %s within %i characters', (field, max) => {
    const commands = manifest.bots[0]?.commandLists[0]?.commands ?? [];
    expect(commands.filter((c) => c[field].length > max)).toEqual([]);
  });

  it.each([
    ['color', 192],
    ['outline', 32],
  ] as const)('ships a %s icon of %i×%i pixels', (kind, size) => {
    const png = readPng(Buffer.from(files[manifest.icons[kind]] ?? []));
    expect([png.width, png.height]).toEqual([size, size]);
  });

  it('draws the outline icon in white on transparent only, with something drawn', () => {
    const { rgba } = readPng(Buffer.from(files[manifest.icons.outline] ?? []));
    const pixels = Array.from({ length: rgba.length / 4 }, (_, i) => [
      ...rgba.subarray(i * 4, i * 4 + 4),
    ]);

    expect(
      pixels.filter(([r, g, b, a]) => (a ?? 0) > 0 && (r !== 255 || g !== 255 || b !== 255)),
    ).toEqual([]);
    expect(pixels.some(([, , , a]) => a === 255)).toBe(true);
    expect(pixels.some(([, , , a]) => a === 0)).toBe(true);
  });

  it('keeps placeholders in the committed manifest, not one deployment’s ids', () => {
    const template = readFileSync(resolve(PROJECT_ROOT, 'manifests/teams/manifest.json'), 'utf8');

    const names = [...template.matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]).sort();

    expect(names).toEqual([
      'APP_VERSION',
      'BOT_NAME',
      'MICROSOFT_APP_ID',
      'PUBLIC_HOST',
      'PUBLIC_URL',
      'PUBLIC_URL',
      'PUBLIC_URL',
      'TEAMS_APP_ID',
    ]);
  });

  it.each([
    [
      'no app id',
      { DRIFTWATCH_PUBLIC_URL: 'https://d.contoso.com' },
      "package:teams: MicrosoftAppId is not set: set it to the bot's Microsoft App ID (Azure Bot resource → Configuration), a GUID\n",
    ],
    [
      'an app id that is not a GUID',
      { MicrosoftAppId: 'driftwatch', DRIFTWATCH_PUBLIC_URL: 'https://d.contoso.com' },
      'package:teams: MicrosoftAppId must be a GUID, got "driftwatch"\n',
    ],
    [
      'a plain-http public URL',
      { MicrosoftAppId: APP_ID, DRIFTWATCH_PUBLIC_URL: 'http://d.contoso.com' },
      'package:teams: DRIFTWATCH_PUBLIC_URL must be an https URL (Teams requires https), got "http://d.contoso.com"\n',
    ],
    [
      'a bot name over 30 characters',
      {
        MicrosoftAppId: APP_ID,
        DRIFTWATCH_PUBLIC_URL: 'https://d.contoso.com',
        TEAMS_BOT_NAME: 'x'.repeat(31),
      },
      "package:teams: TEAMS_BOT_NAME must be at most 30 characters (Teams' short name), got 31\n",
    ],
  ])(
    'refuses %s with one line naming the variable, and writes nothing',
    async (_case, env, message) => {
      const { code, stderr, outDir } = await packageTeams(env);

      expect([code, stderr]).toEqual([1, message]);
      expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
    },
  );
});
