/** Small readers shared by the severity rule groups. */

export const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/** `path` is `suffix` or ends with `.suffix`. */
export const endsWith = (path: string, suffix: string) =>
  path === suffix || path.endsWith(`.${suffix}`);

/** A value that configures something (not absent, null, "", or an empty object). */
export const isSet = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  v !== '' &&
  !(typeof v === 'object' && Object.keys(v).length === 0);
