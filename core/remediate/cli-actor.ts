import { userInfo } from 'node:os';
import { Identity } from '../config/sections/remediation-config.js';
import { UsageError } from '../errors.js';
import type { Actor } from './remediation-plan.js';

/**
 * The CLI's identity: `DRIFTWATCH_ACTOR` (an identity string such as `cli:ada` or
 * `entra:<object id>`), else `cli:<OS user>`. Named in every audit entry.
 */
export function cliActor(env: Record<string, string | undefined>): Actor {
  const given = env.DRIFTWATCH_ACTOR?.trim();
  if (given) {
    const parsed = Identity.safeParse(given);
    if (!parsed.success)
      throw new UsageError(
        'usage.bad-actor',
        `DRIFTWATCH_ACTOR "${given}": ${parsed.error.issues[0]?.message ?? 'not an identity'}`,
      );
    return { id: given };
  }
  let user = env.USER ?? env.USERNAME;
  try {
    user ||= userInfo().username;
  } catch {
    // No passwd entry (some containers): fall through to the neutral name.
  }
  return { id: `cli:${user || 'unknown'}` };
}
