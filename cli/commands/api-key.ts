import { createApiKey, hashApiKey } from '../../core/api/api-key.js';
import { ApiKeyConfig } from '../../core/config/sections/api-config.js';
import { UsageError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

const list = (text: string | undefined) =>
  text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/**
 * `driftwatch api-key create NAME --scopes prod,staging [--change prod]`: a new API key for the
 * results API, printed once with the config entry that holds only its SHA-256.
 */
export const registerApiKeyCommand: RegisterCommand = (program, ctx) => {
  const apiKey = program.command('api-key').description('API keys for the results API (/api/v1)');
  apiKey
    .command('create')
    .description(
      'make a new API key: prints the key once and the api.keys entry (its SHA-256) for the config',
    )
    .argument(
      '<name>',
      'a name for the key (letters, digits, ".", "_", "-"), shown in audits as api-key:<name>',
    )
    .option('--scopes <list>', 'scopes it may read, comma-separated (* for all)')
    .option(
      '--change <list>',
      'scopes it may also change (delete results, restore baselines, remediate), comma-separated',
    )
    .action(async (name: string, options: { scopes?: string; change?: string }) => {
      const read = list(options.scopes);
      const change = list(options.change);
      if (read.length === 0 && change.length === 0) {
        throw new UsageError(
          'usage.api-key-scopes',
          'name the scopes the key may read with --scopes prod,staging (or * for all), and those it may change with --change',
        );
      }
      const key = createApiKey();
      const entry = ApiKeyConfig.safeParse({ name, sha256: hashApiKey(key), read, change });
      if (!entry.success) {
        const issue = entry.error.issues[0];
        const option =
          issue?.path[0] === 'name'
            ? 'NAME'
            : issue?.path[0] === 'change'
              ? '--change'
              : '--scopes';
        throw new UsageError('usage.api-key', `${option}: ${issue?.message ?? 'not valid'}`);
      }
      // yaml loads here, not at start-up: every other command would pay for it (it is lazy in
      // configuration loading for the same reason).
      const { stringify } = await import('yaml');
      const snippet = stringify({ api: { keys: [entry.data] } });
      ctx.stdout.write(
        [
          `API key "${name}" (shown once: store it in your secret store now; driftwatch keeps only its SHA-256):`,
          '',
          `  ${key}`,
          '',
          'Add this entry under api.keys in driftwatch.config.yaml:',
          '',
          snippet.trimEnd(),
          '',
          `Use it as: curl -H "Authorization: Bearer $DRIFTWATCH_API_KEY" https://<bot>/api/v1/drift/summary`,
          '',
        ].join('\n'),
      );
    });
};
