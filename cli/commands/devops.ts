import { Option } from 'commander';
import { EXIT } from '../cli-context.js';
import { createProgressReporter } from '../output/progress.js';
import { configOption } from '../shared-options.js';
import { withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

interface DiscoverOptions {
  project?: string[];
  format: 'text' | 'json';
  refresh?: boolean;
  config?: string;
}

/**
 * `driftwatch devops discover`: the Azure DevOps inventory (projects, repositories and last
 * commits, pipelines and runs, builds, environments and deployments, classic releases,
 * applications). Exits 1 when the inventory is partial, so scripts never take it as complete.
 */
export const registerDevOpsCommand: RegisterCommand = (program, ctx, setExit) => {
  const devops = program
    .command('devops')
    .description('Azure DevOps discovery (inventory used to attribute drift)');
  devops
    .command('discover')
    .description(
      'list projects, repositories, pipelines, builds, environments and the applications they form',
    )
    .option('--project <name...>', 'only these projects (default: devops.projects, else all)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option(
      '--refresh',
      'ignore the cached inventory (devops.cacheTtl) and read Azure DevOps again',
    )
    .addOption(configOption())
    .action(async (options: DiscoverOptions) => {
      // Loaded on demand: the Azure DevOps and Azure SDKs are large.
      const { createCredential } = await import('../../core/collect/create-credential.js');
      const { resolveCredentialSpec } = await import(
        '../../core/collect/resolve-credential-spec.js'
      );
      const { renderInventoryText } = await import('../../core/devops/render-inventory-text.js');
      const { runDevOpsDiscovery } = await import('../../core/devops/run-devops-discovery.js');
      const loaded = ctx.config(options.config);
      const { config } = loaded;
      const progress = createProgressReporter({ stream: ctx.stderr, label: 'discovering' });
      const inventory = await withStore(ctx, loaded, (store) =>
        runDevOpsDiscovery({
          config: config.devops,
          env: ctx.env,
          store,
          clock: ctx.clock,
          signal: ctx.signal,
          ...(options.project ? { projects: options.project } : {}),
          ...(options.refresh ? { refresh: true } : {}),
          ...(config.store.redisUrl ? { redisUrl: config.store.redisUrl } : {}),
          entraCredential: () =>
            createCredential(resolveCredentialSpec(config.azure.credential, ctx.env, ctx.cwd)),
          onProgress: ({ done, total }) => progress.update({ done, total }),
        }).finally(() => progress.finish()),
      );
      ctx.stdout.write(
        options.format === 'json'
          ? `${JSON.stringify(inventory, null, 2)}\n`
          : renderInventoryText(inventory),
      );
      if (!inventory.complete) {
        ctx.stderr.write(
          `driftwatch: the Azure DevOps inventory is partial: ${inventory.errors.length} part(s) could not be read\n`,
        );
        setExit(EXIT.error);
      }
    });
};
