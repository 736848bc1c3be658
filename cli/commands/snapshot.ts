import { resolve } from 'node:path';
import { EXIT } from '../cli-context.js';
import { writeFileAtomically } from '../output/write-file-atomically.js';
import { allowIncompleteOption, incompleteExitCode } from '../shared-options.js';
import type { RegisterCommand } from './index.js';
import { addScanScopeOptions, describeUnread, type ScanFlags, scanFromCli } from './scan.js';

/** `driftwatch snapshot [scope] --out FILE`: collect and write the snapshot; no drift, no baseline. */
export const registerSnapshotCommand: RegisterCommand = (program, ctx, setExit) => {
  addScanScopeOptions(
    program
      .command('snapshot')
      .description('collect a scope from Azure and write the snapshot to a file'),
  )
    .requiredOption('--out <file>', 'where to write the snapshot JSON ("-" for stdout)')
    .addOption(allowIncompleteOption())
    .action(
      async (
        scopeName: string | undefined,
        flags: ScanFlags & { out: string; allowIncomplete?: boolean },
      ) => {
        const result = await scanFromCli(ctx, scopeName, flags, {
          interrupted: 'interrupted: nothing was written',
        });
        const text = `${JSON.stringify(result.snapshot, null, 2)}\n`;
        if (flags.out === '-') ctx.stdout.write(text);
        else writeFileAtomically(resolve(ctx.cwd, flags.out), text);
        describeUnread(ctx, result);
        ctx.stderr.write(
          `driftwatch: wrote ${result.snapshot.resources.length.toLocaleString('en-US')} resources of scope ${result.scope} to ${flags.out}${result.snapshot.complete ? '' : ' (incomplete)'}\n`,
        );
        setExit(
          result.snapshot.complete
            ? EXIT.ok
            : incompleteExitCode(ctx, { allowIncomplete: Boolean(flags.allowIncomplete) }),
        );
      },
    );
};
