import { Option } from 'commander';
import { suggestNoise } from '../../core/noise/suggest-noise.js';
import { escapeControl } from '../../core/report/escape-terminal.js';
import { configOption } from '../shared-options.js';
import { positiveInt, scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

/** `driftwatch noise suggest`: proposals from accepted and ignored drift, never applied. */
export const registerNoiseCommand: RegisterCommand = (program, ctx) => {
  const noise = program.command('noise').description('learn from the drift people keep silencing');
  noise
    .command('suggest')
    .description(
      'propose .driftignore lines for properties accepted or ignored on many resources of a type (writes nothing)',
    )
    .option('--scope <name>', 'only this scope (default: every scope with stored reports)')
    .option(
      '--min-resources <n>',
      'propose a path once it was silenced on this many distinct resources',
      positiveInt('--min-resources'),
      3,
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addOption(configOption())
    .action(
      async (options: {
        scope?: string;
        minResources: number;
        format: 'text' | 'json';
        config?: string;
      }) => {
        const scope = options.scope === undefined ? undefined : scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        const suggestions = await withStore(ctx, loaded, (store) =>
          suggestNoise(store, {
            minResources: options.minResources,
            ...(scope ? { scope } : {}),
          }),
        );
        if (options.format === 'json') {
          ctx.stdout.write(`${JSON.stringify(suggestions, null, 2)}\n`);
          return;
        }
        if (suggestions.length === 0) {
          ctx.stdout.write(
            `nothing to propose: no property was accepted or ignored on ${options.minResources} or more resources of one type\n`,
          );
          return;
        }
        ctx.stdout.write(
          '# Proposed .driftignore lines (review, then add the ones you agree with; nothing was changed)\n',
        );
        for (const s of suggestions) {
          ctx.stdout.write(
            `${escapeControl(s.driftignore)}\n    # silenced on ${s.resources} resources (${s.occurrences} times) in ${escapeControl(s.scopes.join(', '))}\n`,
          );
        }
        ctx.stdout.write(
          '# A property that is platform behaviour in every estate belongs in the catalogue: say so in an issue with these counts.\n',
        );
      },
    );
};
