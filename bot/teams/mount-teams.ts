import type { Activity } from 'botbuilder';
import { Counter } from 'prom-client';
import { isDriftwatchError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import type { BotHost, MountedAdapter } from '../bot-host.js';
import { correlationIdNow } from '../bot-logger.js';
import { answerJson } from '../http/create-bot-server.js';
import { readJsonBody } from '../http/read-body.js';
import { TeamsAdapter, type TeamsCredentialsFactory } from './create-teams-adapter.js';
import { showPlan } from './handle-teams-remediation.js';
import { handleTeamsTurn } from './handle-teams-turn.js';
import type { TeamsMembership } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import type { TeamsEnv } from './teams-env.js';
import { TeamsNotifier } from './teams-notifier.js';
import { TeamsSender, type TeamsSenderOptions } from './teams-sender.js';

/** Where the Azure Bot resource's messaging endpoint points. */
export const MESSAGES_PATH = '/api/messages';

/** The Teams adapter once mounted. */
export interface MountedTeams extends MountedAdapter {
  adapter: TeamsAdapter;
  notifier: TeamsNotifier;
  deps: TeamsBotDeps;
  /** Resolves when the work started by earlier requests (commands answered later) is done. */
  idle(): Promise<void>;
}

export interface MountTeamsOptions {
  env: TeamsEnv;
  /**
   * The bot's outbound credentials; default botbuilder's from the environment (a client secret
   * for SingleTenant, the managed identity for UserAssignedMSI). Tests point one at the simulator.
   */
  credentialsFactory?: TeamsCredentialsFactory;
  sender?: Omit<TeamsSenderOptions, 'onWait' | 'onCall'>;
  /** Entra group membership; default the host's (Microsoft Graph, when configured). */
  membership?: TeamsMembership;
}

/**
 * Mounts Teams on the host: `POST /api/messages` runs each activity through botbuilder's
 * `CloudAdapter`, which authenticates it (with an app id configured, a missing, forged or expired
 * token is answered 401); the Teams notifier posts scheduled summaries proactively. Without an app
 * id (local development) authentication is off: the bot says so loudly at start and in `/readyz`.
 *
 * @example
 * startBot({ ..., adapters: [(host) => mountTeams(host, { env: readTeamsEnv(process.env) })] });
 */
export function mountTeams(host: BotHost, options: MountTeamsOptions): MountedTeams {
  const log = host.log.child({ component: 'teams' });
  const adapter = new TeamsAdapter(options.env, options.credentialsFactory);
  const calls = new Counter({
    name: 'driftwatch_teams_connector_calls_total',
    help: 'Bot Framework connector calls from the Teams bot, by operation and outcome (ok, retried, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [host.metrics.registry],
  });
  const sender = new TeamsSender({
    ...options.sender,
    onWait: (ms, reason) => host.metrics.throttleWait.inc({ reason: `teams-${reason}` }, ms / 1000),
    onCall: (operation, outcome) => calls.inc({ operation, outcome }),
  });
  const invocation = `@${options.env.TEAMS_BOT_NAME}`;
  const pending = new Set<Promise<void>>();
  const membership = options.membership ?? host.entraMembership;
  const viewDeps = {
    store: host.store,
    config: host.config,
    ...(host.remediation ? { remediation: host.remediation } : {}),
    ...(membership ? { membership } : {}),
  };
  const notifier = new TeamsNotifier({
    ...viewDeps,
    adapter,
    sender,
    invocation,
    ...(host.newId ? { newId: host.newId } : {}),
  });
  const deps: TeamsBotDeps = {
    ...viewDeps,
    clock: host.clock,
    scan: host.scan,
    ...(host.devops ? { devops: host.devops } : {}),
    schedules: host.schedules,
    metrics: host.metrics,
    log,
    ...(host.newId ? { newId: host.newId } : {}),
    ...(host.scanProgress ? { scanProgress: host.scanProgress } : {}),
    ...(host.reportLink ? { reportLink: host.reportLink } : {}),
    adapter,
    sender,
    notifier,
    invocation,
    background(work) {
      const run = work().catch((error: unknown) => {
        log.error({ error: describeError(error) }, 'teams background work failed');
      });
      pending.add(run);
      void run.finally(() => pending.delete(run));
    },
  };

  host.http.route('POST', MESSAGES_PATH, async (req, res) => {
    let activity: Activity;
    try {
      activity = (await readJsonBody(req)) as Activity;
    } catch (error) {
      const status = isDriftwatchError(error) ? Number(error.details.status ?? 400) : 400;
      return answerJson(res, status, { error: describeError(error) });
    }
    const requestLog = log.child({ correlationId: correlationIdNow(), activity: activity?.type });
    try {
      const invoke = await adapter.receive(
        String(req.headers.authorization ?? ''),
        activity,
        (context) => handleTeamsTurn(context, { ...deps, log: requestLog }),
      );
      if (invoke) return answerJson(res, invoke.status, invoke.body ?? {});
      res.writeHead(200);
      res.end();
    } catch (error) {
      if (isAuthFailure(error)) {
        requestLog.warn(
          { error: describeError(error) },
          'teams request refused: not authenticated',
        );
        return answerJson(res, 401, { error: 'unauthorized' });
      }
      requestLog.error({ error: describeError(error) }, 'teams request failed');
      answerJson(res, 500, { error: 'internal error' });
    }
  });

  if (adapter.authenticationOff) {
    log.warn(
      'TEAMS AUTHENTICATION IS OFF: MicrosoftAppId is not set, so /api/messages accepts requests from anyone. Local development only: set MicrosoftAppId, MicrosoftAppType and MicrosoftAppTenantId before exposing this bot.',
    );
  }
  host.readiness.add('teams', async () => ({
    ok: true,
    note: adapter.authenticationOff
      ? 'authentication is off (no MicrosoftAppId): local development only'
      : `ok (${options.env.MicrosoftAppType} app ${options.env.MicrosoftAppId})`,
  }));

  return {
    adapter,
    notifier,
    deps,
    async onReconciled(plan) {
      await showPlan(plan, undefined, deps);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      await Promise.all([...pending]);
    },
  };
}

/**
 * The adapter's authentication failures. botframework-connector throws `AuthenticationError`
 * (status 401) for its own checks; a token whose signature does not verify, that has expired or is
 * not valid yet fails inside `jsonwebtoken` with its own error names.
 */
function isAuthFailure(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number } | undefined;
  return (
    e?.statusCode === 401 ||
    e?.name === 'AuthenticationError' ||
    e?.name === 'JsonWebTokenError' ||
    e?.name === 'NotBeforeError' ||
    e?.name === 'TokenExpiredError'
  );
}
