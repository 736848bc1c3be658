import { type Command, Option } from 'commander';
import { STRATEGIES, type Strategy } from '../../core/config/sections/remediation-config.js';
import { cliActor } from '../../core/remediate/cli-actor.js';
import {
  PLAN_STATES,
  type PlanState,
  type RemediationPlan,
} from '../../core/remediate/remediation-plan.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../cli-context.js';
import { renderPlanLine, renderPlanText } from '../output/render-plan-text.js';
import { configOption } from '../shared-options.js';
import { scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

type Format = 'text' | 'json';
const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

/**
 * `driftwatch remediate plan|show|approve|reject|apply|cancel|status|list`: the remediation
 * workflow with the same rules as chat. The actor is `DRIFTWATCH_ACTOR` or `cli:<OS user>`.
 * Every verb first reconciles plans a stopped process left `applying`.
 */
export const registerRemediateCommand: RegisterCommand = (program, ctx, setExit) => {
  const remediate = program
    .command('remediate')
    .description(
      'plan, approve and apply remediation of drift (revert through ARM, redeploy through Azure DevOps, or accept into the baseline)',
    );

  /** Runs `work` with the workflow open on the configured store; reconciles first. */
  const run = async (options: { config?: string }, work: (r: Remediation) => Promise<void>) => {
    const loaded = ctx.config(options.config);
    const actor = cliActor(ctx.env);
    await withStore(ctx, loaded, async (store) => {
      // The Azure and Azure DevOps stacks load only when a remediation command runs.
      const { openRemediation } = await import('../../core/remediate/open-remediation.js');
      const remediation = openRemediation({
        config: loaded.config,
        env: ctx.env,
        cwd: ctx.cwd,
        store,
        clock: ctx.clock,
      });
      try {
        for (const plan of await remediation.reconcile(actor))
          ctx.stderr.write(
            `reconciled plan ${plan.id} left applying by a stopped process: ${plan.state}${plan.outcome ? ` (${plan.outcome})` : ''}\n`,
          );
        await work(remediation);
      } finally {
        await remediation.close();
      }
    });
  };
  const print = (plan: RemediationPlan, format: Format) =>
    ctx.stdout.write(
      format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan),
    );
  const exitFor = (plan: RemediationPlan) => {
    if (plan.state === 'failed' || plan.state === 'stale') setExit(EXIT.error);
    else if (plan.state === 'applied' && (plan.verification?.remaining.length ?? 0) > 0)
      setExit(EXIT.drift);
    // Applied but not read back: like an incomplete scan, never reported as clean.
    else if (plan.state === 'applied' && (plan.verification?.unreadable.length ?? 0) > 0)
      setExit(EXIT.incomplete);
  };

  remediate
    .command('plan')
    .description(
      "plan the remediation of findings from the scope's latest report and request approval",
    )
    .argument('<finding...>', 'finding fingerprints (or unique prefixes of 4+ characters)')
    .option('--scope <name>', 'scope name', 'default')
    .addOption(
      new Option(
        '--strategy <strategy>',
        'revert (write the baseline back to Azure), redeploy (queue the pipeline that owns the scope) or accept (make the current state the baseline)',
      )
        .choices(STRATEGIES)
        .makeOptionMandatory(),
    )
    .option('--reason <text>', 'why (kept in the plan and the audit log)')
    .option(
      '--dry-run',
      'show the plan (the exact requests) without storing or requesting anything',
    )
    .addOption(formatOption())
    .addOption(configOption())
    .action(
      async (
        findings: string[],
        options: {
          scope: string;
          strategy: Strategy;
          reason?: string;
          dryRun?: boolean;
          format: Format;
          config?: string;
        },
      ) => {
        const scope = scopeArgument(options.scope);
        await run(options, async (r) => {
          const plan = await r.plan({
            scope,
            findings,
            strategy: options.strategy,
            actor: cliActor(ctx.env),
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
          });
          print(plan, options.format);
          if (options.format === 'text')
            ctx.stdout.write(
              options.dryRun
                ? 'dry run: nothing was stored or requested\n'
                : `requested: an approver runs driftwatch remediate approve ${plan.id}\n`,
            );
        });
      },
    );

  addIdVerb(
    remediate,
    'show',
    'show a plan: state, approvals, the exact requests, the outcome',
    run,
    async (r, id, o) => {
      print(await r.show(id), o.format);
    },
  );
  addIdVerb(
    remediate,
    'approve',
    'approve a pending plan (approvers only; not your own request)',
    run,
    async (r, id, o) => {
      print(
        await r.approve({
          id,
          actor: cliActor(ctx.env),
          ...(o.reason ? { reason: o.reason } : {}),
        }),
        o.format,
      );
    },
  );
  addIdVerb(
    remediate,
    'reject',
    'reject a pending plan (approvers only)',
    run,
    async (r, id, o) => {
      print(
        await r.reject({ id, actor: cliActor(ctx.env), ...(o.reason ? { reason: o.reason } : {}) }),
        o.format,
      );
    },
  );
  addIdVerb(
    remediate,
    'cancel',
    'withdraw a pending or approved plan (its requester or an approver)',
    run,
    async (r, id, o) => {
      print(
        await r.cancel({ id, actor: cliActor(ctx.env), ...(o.reason ? { reason: o.reason } : {}) }),
        o.format,
      );
    },
  );
  addIdVerb(
    remediate,
    'apply',
    "apply an approved plan now (inside the scope's change windows), then verify",
    run,
    async (r, id, o) => {
      const plan = await r.apply({ id, actor: cliActor(ctx.env) });
      print(plan, o.format);
      exitFor(plan);
    },
  );

  remediate
    .command('status')
    .description('reconcile interrupted applies, then show one plan, or the open plans')
    .argument('[id]', 'plan id (or a unique prefix)')
    .option('--scope <name>', 'only this scope (without an id)')
    .addOption(formatOption())
    .addOption(configOption())
    .action(
      async (
        id: string | undefined,
        options: { scope?: string; format: Format; config?: string },
      ) => {
        await run(options, async (r) => {
          if (id) return void print(await r.show(id), options.format);
          const open = await r.list({
            states: ['pending', 'approved', 'applying'],
            ...(options.scope ? { scope: scopeArgument(options.scope) } : {}),
          });
          listOut(ctx, open, options.format, 'no open remediation requests');
        });
      },
    );

  remediate
    .command('list')
    .description('list plans, newest first')
    .option('--scope <name>', 'only this scope')
    .addOption(new Option('--state <state>', 'only plans in this state').choices(PLAN_STATES))
    .addOption(formatOption())
    .addOption(configOption())
    .action(
      async (options: { scope?: string; state?: PlanState; format: Format; config?: string }) => {
        await run(options, async (r) => {
          const plans = await r.list({
            ...(options.scope ? { scope: scopeArgument(options.scope) } : {}),
            ...(options.state ? { states: [options.state] } : {}),
          });
          listOut(ctx, plans, options.format, 'no remediation plans');
        });
      },
    );
};

type IdOptions = { format: Format; reason?: string; config?: string };

function addIdVerb(
  parent: Command,
  verb: string,
  description: string,
  run: (options: { config?: string }, work: (r: Remediation) => Promise<void>) => Promise<void>,
  work: (r: Remediation, id: string, options: IdOptions) => Promise<void>,
) {
  const command = parent
    .command(verb)
    .description(description)
    .argument('<id>', 'plan id (or a unique prefix of 4+ characters)');
  if (verb !== 'show' && verb !== 'apply')
    command.option('--reason <text>', 'why (kept in the audit log)');
  command
    .addOption(formatOption())
    .addOption(configOption())
    .action(async (id: string, options: IdOptions) => {
      await run(options, (r) => work(r, id, options));
    });
  return command;
}

function listOut(ctx: CliContext, plans: RemediationPlan[], format: Format, empty: string) {
  if (format === 'json') return void ctx.stdout.write(`${JSON.stringify(plans, null, 2)}\n`);
  if (plans.length === 0) return void ctx.stdout.write(`${empty}\n`);
  for (const plan of plans) ctx.stdout.write(renderPlanLine(plan));
}
