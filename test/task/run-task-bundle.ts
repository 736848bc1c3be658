import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../support/requirements.js';

export const TASK_BUNDLE = resolve(PROJECT_ROOT, 'task/dist/index.js');

/** Builds the bundle when it is missing (`npm test` builds it before vitest runs). */
export function ensureTaskBundle(): void {
  if (!existsSync(TASK_BUNDLE)) {
    execFileSync(process.execPath, ['scripts/build-task.mjs'], {
      cwd: PROJECT_ROOT,
      stdio: 'ignore',
    });
  }
}

/** One `##vso[area.action k=v;…]message` line, unescaped as the agent reads it. */
export interface VsoCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface TaskRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  commands: VsoCommand[];
  /** `##vso[task.complete result=…]`: the result the agent records (the exit code says nothing). */
  result: string | undefined;
  resultMessage: string | undefined;
  /** `##vso[task.setvariable …;isOutput=true]` values by name. */
  outputs: Record<string, string>;
  /** `##vso[task.issue type=error|warning;source=…]` lines (findings come from CustomerScript). */
  issues: Array<{ type: string; source: string; message: string }>;
  secrets: string[];
  /** Commands of one kind, e.g. `task.addattachment`. */
  of(command: string): VsoCommand[];
}

// task-lib's escaping (taskcommand.ts): properties escape ; ] \r \n %, messages \r \n %.
const unescapeVso = (value: string) =>
  value
    .replace(/%3B/g, ';')
    .replace(/%5D/g, ']')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%AZP25/g, '%');

export function parseVsoCommands(stdout: string): VsoCommand[] {
  const commands: VsoCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^##vso\[([\w.]+)((?: [^\]]*)?)\](.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? '').trim().split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeVso(pair.slice(eq + 1));
    }
    commands.push({ command: m[1] as string, properties, message: unescapeVso(m[3] ?? '') });
  }
  return commands;
}

/**
 * Runs the bundled task exactly as the agent does: `node task/dist/index.js` with only the
 * environment given (INPUT_*, ENDPOINT_*, SYSTEM_*, …), and parses its `##vso` lines.
 */
export async function runTaskBundle(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<TaskRun> {
  const child = spawn(process.execPath, [TASK_BUNDLE], {
    cwd: env.SYSTEM_DEFAULTWORKINGDIRECTORY ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exitCode = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the task did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
  const commands = parseVsoCommands(stdout);
  const complete = commands.filter((c) => c.command === 'task.complete');
  const outputs: Record<string, string> = {};
  for (const c of commands) {
    if (c.command === 'task.setvariable' && c.properties.isOutput === 'true')
      outputs[c.properties.variable ?? ''] = c.message;
  }
  return {
    stdout,
    stderr,
    exitCode,
    commands,
    result: complete.at(-1)?.properties.result,
    resultMessage: complete.at(-1)?.message,
    outputs,
    issues: commands
      .filter((c) => c.command === 'task.issue')
      .map((c) => ({
        type: c.properties.type ?? '',
        source: c.properties.source ?? '',
        message: c.message,
      })),
    secrets: commands.filter((c) => c.command === 'task.setsecret').map((c) => c.message),
    of: (command) => commands.filter((c) => c.command === command),
  };
}
