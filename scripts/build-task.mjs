// Bundles the pipeline task into ONE file (task/dist/index.js) that both task.json handlers
// (Node20_1, Node24) run, so the extension ships without node_modules. Also derives the
// localisation files task-lib and the marketplace read (task.loc.json, Strings/…/resources.resjson)
// from task.json, the single source of the task's texts.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { pageAssetsDefine } from './page-assets.mjs';

const TASK_DIR = 'task';
const OUT_FILE = join(TASK_DIR, 'dist', 'index.js');

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const task = JSON.parse(readFileSync(join(TASK_DIR, 'task.json'), 'utf8'));

const result = await build({
  entryPoints: [join(TASK_DIR, 'index.ts')],
  outfile: OUT_FILE,
  bundle: true,
  // Everything, node_modules included: the agent runs the file with nothing installed beside it.
  packages: 'bundle',
  platform: 'node',
  target: 'node20',
  // task-lib is CommonJS and loads its resources with require(); cjs keeps that working.
  format: 'cjs',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  define: { __DRIFTWATCH_VERSION__: JSON.stringify(pkg.version), ...pageAssetsDefine() },
  // read-page-assets.ts reads node_modules only when the define above is absent (source runs).
  logOverride: { 'empty-import-meta': 'silent' },
  // The embedded SQLite store is native code; the task never opens it (Redis or a file instead).
  external: ['sqlite3'],
  logLevel: 'warning',
  metafile: true,
});

for (const handler of Object.values(task.execution)) {
  if (join(TASK_DIR, handler.target) !== OUT_FILE) {
    throw new Error(`task.json handler target ${handler.target} is not the bundle ${OUT_FILE}`);
  }
}
const forbidden = Object.keys(result.metafile.inputs).filter((f) => /sqlite/.test(f));
if (forbidden.length > 0)
  throw new Error(`the task bundle must not contain ${forbidden.join(', ')}`);

// The repository's package.json says "type": "module"; this marks the bundle as CommonJS.
writeFileSync(join(TASK_DIR, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
writeLocalisation(task);

const bytes = statSync(OUT_FILE).size;
console.log(`task bundle: ${OUT_FILE} ${(bytes / 1024 / 1024).toFixed(2)} MiB`);

/** task.loc.json (ms-resource: references) and the en-US resjson, as azure-pipelines-tasks lays them out. */
function writeLocalisation(source) {
  const strings = {};
  const ref = (key, value) => {
    strings[`loc.${key}`] = value;
    return `ms-resource:loc.${key}`;
  };
  const loc = structuredClone(source);
  for (const key of ['friendlyName', 'description', 'helpMarkDown', 'instanceNameFormat']) {
    if (loc[key] !== undefined) loc[key] = ref(key, loc[key]);
  }
  for (const group of loc.groups ?? [])
    group.displayName = ref(`group.displayName.${group.name}`, group.displayName);
  for (const input of loc.inputs ?? []) {
    input.label = ref(`input.label.${input.name}`, input.label);
    if (input.helpMarkDown)
      input.helpMarkDown = ref(`input.help.${input.name}`, input.helpMarkDown);
  }
  for (const key of Object.keys(loc.messages ?? {}))
    loc.messages[key] = ref(`messages.${key}`, loc.messages[key]);
  writeJsonIfChanged(join(TASK_DIR, 'task.loc.json'), loc);
  const dir = join(TASK_DIR, 'Strings', 'resources.resjson', 'en-US');
  mkdirSync(dir, { recursive: true });
  writeJsonIfChanged(join(dir, 'resources.resjson'), strings);
}

/** Rewrites a committed, biome-formatted file only when its content changes. */
function writeJsonIfChanged(file, value) {
  const text = JSON.stringify(value);
  if (existsSync(file) && JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))) === text) return;
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
