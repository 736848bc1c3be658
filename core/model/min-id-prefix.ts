/**
 * Fewest characters of a fingerprint or report id that name it: everywhere an id may be shortened
 * (`accept`, `report`, chat verbs and buttons, the store's lookups). Four hex characters are
 * 65,536 values — unambiguous within one report, and short enough to type from a PR comment.
 */
export const MIN_ID_PREFIX = 4;
