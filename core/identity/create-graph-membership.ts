import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { HttpError } from '../errors.js';

/** Whether an Entra user (object id) is a member of an Entra group (object id), transitively. */
export type EntraGroupMembership = (groupId: string, userObjectId: string) => Promise<boolean>;

export interface GraphMembershipOptions {
  credential: TokenCredential;
  /** Microsoft Graph's base, per cloud: `https://graph.microsoft.com` (default), `…microsoft.us`, … */
  graphUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long an answer is trusted before asking Graph again. */
  cacheMs?: number;
}

/** `checkMemberGroups` answers with the subset of the asked groups the user is in. */
const CheckMemberGroups = z.object({ value: z.array(z.string()) });
const RETRIES = 2;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Entra group membership through Microsoft Graph: `POST /v1.0/users/{id}/checkMemberGroups`
 * (transitive membership; the app needs the `GroupMember.Read.All` application permission).
 * Answers are cached per user and group for a minute, so a burst of clicks costs one call; a 429
 * or 503 is retried after its `Retry-After`. A refusal or failure throws an {@link HttpError}
 * naming what to grant, never "not a member": a membership that could not be read is not a
 * "no".
 *
 * @example
 * const inGroup = createGraphMembership({ credential });
 * await inGroup('b8a3e1d2-…', '6f1c2f9e-…'); // true
 */
export function createGraphMembership(options: GraphMembershipOptions): EntraGroupMembership {
  const base = (options.graphUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const send = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((done) => setTimeout(done, ms)));
  const ttl = options.cacheMs ?? 60_000;
  const cache = new Map<string, { at: number; answer: Promise<boolean> }>();

  const ask = async (groupId: string, user: string): Promise<boolean> => {
    const url = `${base}/v1.0/users/${encodeURIComponent(user)}/checkMemberGroups`;
    for (let attempt = 0; ; attempt += 1) {
      const token = await options.credential.getToken(`${base}/.default`);
      if (!token) throw graphError('graph.no-token', 'no token for Microsoft Graph', url);
      const response = await send(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ groupIds: [groupId] }),
      });
      if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
        // Graph throttling guidance: wait the Retry-After seconds, then try again.
        await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
        continue;
      }
      if (!response.ok) throw await refused(response, url);
      const body = CheckMemberGroups.safeParse(await response.json().catch(() => undefined));
      if (!body.success) {
        throw graphError(
          'graph.bad-response',
          'Microsoft Graph answered checkMemberGroups with an unexpected body',
          url,
          response,
        );
      }
      return body.data.value.some((id) => id.toLowerCase() === groupId);
    }
  };

  return (groupId, userObjectId) => {
    const group = groupId.toLowerCase();
    const user = userObjectId.toLowerCase();
    // Ids go into a URL path: only GUIDs, as the config and Teams give them.
    if (!GUID.test(group) || !GUID.test(user)) return Promise.resolve(false);
    const key = `${user} ${group}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.answer;
    const answer = ask(group, user);
    cache.set(key, { at: now(), answer });
    answer.catch(() => cache.delete(key));
    return answer;
  };
}

async function refused(response: Response, url: string): Promise<HttpError> {
  if (response.status === 401 || response.status === 403) {
    return graphError(
      'graph.forbidden',
      `Microsoft Graph refused to read group membership (${response.status}): grant the bot's identity the GroupMember.Read.All application permission, with admin consent`,
      url,
      response,
    );
  }
  if (response.status === 404) {
    return graphError(
      'graph.unknown-user',
      'Microsoft Graph does not know this user in the tenant (404)',
      url,
      response,
    );
  }
  return graphError(
    'graph.failed',
    `Microsoft Graph answered ${response.status} to checkMemberGroups`,
    url,
    response,
  );
}

function graphError(code: string, message: string, url: string, response?: Response): HttpError {
  const requestId = response?.headers.get('request-id') ?? undefined;
  return new HttpError(code, message, {
    url,
    ...(response ? { status: response.status } : {}),
    ...(requestId ? { requestId } : {}),
  });
}
