import type { AdaptiveCard } from '../../../bot/teams/adaptive-card.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import type { DriftwatchConfig } from '../../../core/config/config-schema.js';
import { parseConfig } from '../../../core/config/load-config.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import {
  driftEstate,
  remediationConfigDocument,
  scanScope,
} from '../../remediate/remediation-harness.js';
import type { ArmSimulator } from '../../sim/arm/start-arm-simulator.js';
import type { SimMember } from '../../sim/teams/sim-conversations.js';
import type { TeamsSimulator } from './teams-bot-harness.js';

/** A bot the Teams simulator delivers to: its messages endpoint and its Teams adapter. */
export type TeamsTarget = { url: string; teams: MountedTeams };

/**
 * The remediation config (revert and accept, the given approvers) with `prod` scanned clean,
 * then drifted and scanned again, so the store holds the findings the Teams suites remediate.
 */
export async function driftedRemediationConfig(
  arm: ArmSimulator,
  store: DriftStore,
  approvers: string[],
): Promise<DriftwatchConfig> {
  const config = parseConfig(
    remediationConfigDocument(arm, { approvers, strategies: ['revert', 'accept'] }),
    'test config',
  );
  await scanScope(arm, store, config, true);
  driftEstate(arm);
  await scanScope(arm, store, config);
  return config;
}

/** Delivers an activity to the bot and waits until its Teams adapter is idle. */
export async function deliverTo(
  sim: TeamsSimulator,
  target: TeamsTarget,
  activity: Parameters<TeamsSimulator['deliver']>[1],
) {
  const res = await sim.deliver(target.url, activity);
  await target.teams.idle();
  return res;
}

/** The Adaptive Card of an activity the bot posted in `channel`. */
export const cardIn = (sim: TeamsSimulator, channel: string, activityId: string) =>
  (sim.activity(channel, activityId) as { attachments: { content: AdaptiveCard }[] }).attachments[0]
    ?.content as AdaptiveCard;

/** `user` clicks an `Action.Execute` button on a card in `channel`; the card Teams shows them back. */
export async function clickIn(
  sim: TeamsSimulator,
  target: TeamsTarget,
  channel: string,
  user: SimMember,
  action: { verb: string; data: Record<string, string>; replyToId: string },
) {
  const res = await deliverTo(sim, target, sim.invoke(channel, user.aadObjectId, action));
  return (res.body as { value: AdaptiveCard }).value;
}

/** `Action.Execute` buttons anywhere in a card (confirmations included): verb and data. */
export const executeButtons = (card: unknown) =>
  [
    ...JSON.stringify(card).matchAll(
      /"type":"Action\.Execute","title":"[^"]*","verb":"([^"]+)","data":(\{[^}]*\})/g,
    ),
  ].map((m) => ({
    verb: m[1] as string,
    data: JSON.parse(m[2] as string) as Record<string, string>,
  }));
