// `npm run package:teams`: fills manifests/teams/manifest.json's ${{…}} placeholders from the
// environment, validates the result against the official Teams manifest schema bundled in
// @microsoft/app-manifest (no network), and zips it with the two icons into
// dist/driftwatch-teams-<version>.zip — the app package you upload to Teams.
//
// Environment (the names the bot itself reads, so one .env serves both):
//   MicrosoftAppId         the bot's Microsoft App ID (Azure Bot resource → Configuration)   required
//   DRIFTWATCH_PUBLIC_URL  https URL where `driftwatch bot` is reachable (messaging endpoint
//                          is <url>/api/messages); its host becomes validDomains              required
//   TEAMS_APP_ID           the Teams app's own id (GUID); defaults to MicrosoftAppId
//   TEAMS_BOT_NAME         the app's short name, which is how people @mention the bot
//                          (default driftwatch; the bot must be given the same name)
// Options: --out-dir <dir> (default dist).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'manifests/teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Zip entries get a fixed time so the same inputs give the same bytes.
const MTIME = new Date('2026-01-01T00:00:00Z');

function fail(message) {
  process.stderr.write(`package:teams: ${message}\n`);
  process.exit(1);
}

/** The placeholder values, each checked once; the first problem ends the run. */
function readValues(env, version) {
  const appId = env.MicrosoftAppId?.trim();
  if (!appId)
    fail(
      "MicrosoftAppId is not set: set it to the bot's Microsoft App ID (Azure Bot resource → Configuration), a GUID",
    );
  if (!GUID.test(appId)) fail(`MicrosoftAppId must be a GUID, got "${appId}"`);
  const teamsAppId = env.TEAMS_APP_ID?.trim() || appId;
  if (!GUID.test(teamsAppId)) fail(`TEAMS_APP_ID must be a GUID, got "${teamsAppId}"`);
  const rawUrl = env.DRIFTWATCH_PUBLIC_URL?.trim();
  if (!rawUrl)
    fail(
      'DRIFTWATCH_PUBLIC_URL is not set: set it to the https URL where `driftwatch bot` is reachable, e.g. https://driftwatch.contoso.com',
    );
  let url;
  try {
    url = new URL(rawUrl);
  } catch {
    fail(`DRIFTWATCH_PUBLIC_URL must be an https URL, got "${rawUrl}"`);
  }
  if (url.protocol !== 'https:')
    fail(`DRIFTWATCH_PUBLIC_URL must be an https URL (Teams requires https), got "${rawUrl}"`);
  const botName = env.TEAMS_BOT_NAME?.trim() || 'driftwatch';
  if (botName.length > 30)
    fail(`TEAMS_BOT_NAME must be at most 30 characters (Teams' short name), got ${botName.length}`);
  return {
    APP_VERSION: version,
    TEAMS_APP_ID: teamsAppId,
    MICROSOFT_APP_ID: appId,
    PUBLIC_URL: url.origin,
    PUBLIC_HOST: url.host,
    BOT_NAME: botName,
  };
}

/** Replaces every `${{NAME}}` inside JSON strings; an unknown name is an error. */
function fill(template, values) {
  return template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name) => {
    if (!(name in values)) fail(`manifest.json uses an unknown placeholder \${{${name}}}`);
    // JSON.stringify escapes the value for its place inside a JSON string.
    return JSON.stringify(values[name]).slice(1, -1);
  });
}

async function validate(manifest) {
  const require = createRequire(import.meta.url);
  const { AppManifestUtils } = require('@microsoft/app-manifest');
  const schemaPath = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out-dir');
const outDir = resolve(
  outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(ROOT, 'dist'),
);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const values = readValues(process.env, version);
const text = fill(readFileSync(join(SOURCE, 'manifest.json'), 'utf8'), values);
const manifest = JSON.parse(text);
const errors = await validate(manifest);
if (errors.length > 0)
  fail(
    `the manifest does not match the Teams schema v${manifest.manifestVersion}:\n  ${errors.join('\n  ')}`,
  );

const entry = (data) => [data, { mtime: MTIME }];
const zip = zipSync({
  'manifest.json': entry(new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`)),
  [manifest.icons.color]: entry(readFileSync(join(SOURCE, manifest.icons.color))),
  [manifest.icons.outline]: entry(readFileSync(join(SOURCE, manifest.icons.outline))),
});
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `driftwatch-teams-${version}.zip`);
writeFileSync(out, zip);
process.stdout.write(
  `package:teams: wrote ${out} (${zip.length} bytes; bot ${values.MICROSOFT_APP_ID}, app ${values.TEAMS_APP_ID}, domain ${values.PUBLIC_HOST})\n`,
);
