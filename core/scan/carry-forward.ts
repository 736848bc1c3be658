import { CHILD_CONFIGS } from '../collect/collect-child-configs.js';
import type { ArmResource, SnapshotError } from '../model/resource.js';

const lower = (s: string) => s.toLowerCase();
const CHILD_SUFFIXES = CHILD_CONFIGS.map((c) => `/${c.path}`);

/** The listed resource a resource belongs to: a child config's parent, else itself (lower-case). */
export function ownerOf(id: string): string {
  const key = lower(id);
  const suffix = CHILD_SUFFIXES.find((s) => key.endsWith(s));
  return suffix ? key.slice(0, -suffix.length) : key;
}

/**
 * The basis resources an incremental scan keeps as they were: those whose owner `stays` says
 * is unchanged, and that no error of this scan covers (an unread scope or resource stays
 * `unknown`, never silently "as before").
 */
export function carryForward(
  basis: readonly ArmResource[],
  stays: (owner: string) => boolean,
  errors: readonly SnapshotError[],
): ArmResource[] {
  const unread = errors.map((e) => lower(e.id).replace(/\/+$/, ''));
  const covered = (id: string) => {
    const key = lower(id);
    return unread.some((scope) => key === scope || key.startsWith(`${scope}/`));
  };
  return basis.filter((r) => stays(ownerOf(r.id)) && !covered(r.id));
}
