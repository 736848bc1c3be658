import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerAcceptCommand } from './accept.js';
import { registerApiKeyCommand } from './api-key.js';
import { registerAuditCommand } from './audit.js';
import { registerBaselineCommand } from './baseline.js';
import { registerBotCommand } from './bot.js';
import { registerCheckCommand } from './check.js';
import { registerDemoCommand } from './demo.js';
import { registerDevOpsCommand } from './devops.js';
import { registerDiffCommand } from './diff.js';
import { registerHistoryCommand } from './history.js';
import { registerNoiseCommand } from './noise.js';
import { registerRemediateCommand } from './remediate.js';
import { registerScanCommand } from './scan.js';
import { registerSnapshotCommand } from './snapshot.js';
import { registerWorkerCommand } from './worker.js';

/** Registers one top-level command (and its subcommands) on the program. */
export type RegisterCommand = (
  program: Command,
  ctx: CliContext,
  setExit: (code: number) => void,
) => void;

/** Every command, in the order `--help` lists them. One line per command file. */
export const COMMANDS: RegisterCommand[] = [
  registerDemoCommand,
  registerScanCommand,
  registerSnapshotCommand,
  registerDiffCommand,
  registerCheckCommand,
  registerBaselineCommand,
  registerAcceptCommand,
  registerHistoryCommand,
  registerNoiseCommand,
  registerRemediateCommand,
  registerAuditCommand,
  registerDevOpsCommand,
  registerBotCommand,
  registerWorkerCommand,
  registerApiKeyCommand,
];
