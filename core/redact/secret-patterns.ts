/**
 * Where secrets hide inside text, shared by the display sanitiser (which masks them) and by
 * ingestion (which replaces them by keyed hashes). Each pattern finds the secret part only, so
 * the rest of a connection string or URL stays readable and comparable.
 */

/** Turns one secret found in text into what replaces it. */
export type HideSecret = (secret: string) => string;

/** A pattern, a cheap test a text must pass before the pattern is tried, and the rewrite. */
type Rule = [RegExp, (text: string) => boolean, (hide: HideSecret, ...groups: string[]) => string];

const has = (needle: string) => (text: string) => text.includes(needle);
const BEARER_OR_BASIC = /bearer|basic/i;

/** Connection-string and query-string keys whose value is a credential. */
const SECRET_KEYS =
  'AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|client_secret|access_token|refresh_token|id_token|client_assertion|sig|signature|code|api[-_]?key|subscription-key|token';

const RULES: Rule[] = [
  // PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted), also when cut off before the END line.
  [
    /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    has('PRIVATE KEY-----'),
    (hide, match) => hide(match),
  ],
  // Authorization schemes. A Basic credential is base64 with a digit or `+/=` somewhere, so prose
  // such as "Basic Information" is left alone.
  [
    /\b(Bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
    (text) => BEARER_OR_BASIC.test(text),
    (hide, _m, lead, tok) => `${lead}${hide(tok ?? '')}`,
  ],
  [
    /\b(Basic\s+)((?=[A-Za-z._~+/=-]*[0-9+/=])[A-Za-z0-9._~+/=-]{8,})/gi,
    (text) => BEARER_OR_BASIC.test(text),
    (hide, _m, lead, tok) => `${lead}${hide(tok ?? '')}`,
  ],
  // JWTs (access tokens, OIDC tokens): three base64url segments starting with eyJ.
  [
    /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
    has('eyJ'),
    (hide, m) => hide(m),
  ],
  // driftwatch's own: report link tokens (dwl1.<payload>.<hmac>) and API keys (dwk_…).
  [/\bdwl1\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g, has('dwl1.'), (hide, m) => hide(m)],
  [/\bdwk_[A-Za-z0-9_-]{16,}/g, has('dwk_'), (hide, m) => hide(m)],
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-.
  [/\bxox[abprse]-[A-Za-z0-9-]{6,}/g, has('xox'), (hide, m) => hide(m)],
  [/\bxapp-[A-Za-z0-9-]{6,}/g, has('xapp-'), (hide, m) => hide(m)],
  // Connection strings and query strings: AccountKey=…, Password=…, sig=… (SAS), api-key=…
  [
    new RegExp(`\\b(${SECRET_KEYS})(\\s*=\\s*)([^;&\\s"']+)`, 'gi'),
    has('='),
    (hide, _m, key, eq, value) => `${key}${eq}${hide(value ?? '')}`,
  ],
  // Passwords in URLs: scheme://user:password@host
  [
    /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):([^@/\s]+)@/gi,
    (text) => text.includes('@') && text.includes('://'),
    (hide, _m, lead, pass) => `${lead}:${hide(pass ?? '')}@`,
  ],
  // JSON-ish secret fields inside text: "password": "…", "clientSecret": "…", "token": "…"
  [
    /("(?:[A-Za-z]*[Pp]assword|[A-Za-z]*[Ss]ecret|[A-Za-z]*[Tt]oken|[A-Za-z]*[Cc]onnectionString|pat|authorization)"\s*:\s*")([^"]*)"/g,
    has('"'),
    (hide, _m, lead, value) => `${lead}${hide(value ?? '')}"`,
  ],
  // Azure storage and Cosmos DB account keys: 64 random bytes in base64 (86 characters and `==`).
  [/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==/g, has('=='), (hide, m) => hide(m)],
];

/**
 * Replaces every secret found in `text` by what `hide` returns for it.
 *
 * @example
 * replaceSecretSpans('Server=x;Password=hunter2', () => '***') // 'Server=x;Password=***'
 */
export function replaceSecretSpans(text: string, hide: HideSecret): string {
  let out = text;
  for (const [pattern, applies, replace] of RULES) {
    if (!applies(out)) continue;
    pattern.lastIndex = 0;
    out = out.replace(pattern, (...args: unknown[]) => {
      const groups = args.slice(0, -2).filter((g) => typeof g === 'string' || g === undefined);
      return replace(hide, ...(groups as string[]));
    });
  }
  return out;
}

/**
 * A whole value that looks like a key or token (for values of tags and other free text): long
 * base64 or base64url with letters of both cases and digits, or a known key prefix. Hex strings
 * (commit ids, hashes) and ordinary words are left alone.
 */
export function looksLikeKey(value: string): boolean {
  const v = value.trim();
  if (v.length < 32 || v.length > 8192) return false;
  if (/^(sk|pk|rk)_(live|test)_[A-Za-z0-9]{16,}$/.test(v)) return true;
  if (/^gh[pousr]_[A-Za-z0-9]{30,}$/.test(v)) return true;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return false;
  if (/^[0-9a-fA-F]+$/.test(v)) return false;
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v);
}
