/**
 * The one sanitiser every error, log line, chat message and report passes through before it is
 * shown. It masks known secret shapes (bearer tokens, JWTs, Slack tokens, connection-string
 * keys, SAS signatures, URL passwords) and any value registered with {@link registerSecret}
 * (client secrets, PATs read from config), wherever they appear.
 */

const MASK = '***';
const registered = new Set<string>();

/** Remember a secret value so it is masked wherever it appears later. Ignores short values. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens.
  // Authorization schemes. A Basic credential is base64 with a digit or `+/=` somewhere, so prose
  // such as "Basic Information" is left alone.
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${MASK}`],
  [/\bBasic\s+(?=[A-Za-z._~+/=-]*[0-9+/=])[A-Za-z0-9._~+/=-]{8,}/gi, `Basic ${MASK}`],
  // JWTs (access tokens, OIDC tokens): three base64url segments starting with eyJ.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, MASK],
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-.
  [/\bxox[abprse]-[A-Za-z0-9-]{6,}/g, MASK],
  [/\bxapp-[A-Za-z0-9-]{6,}/g, MASK],
  // Connection strings: AccountKey=…, SharedAccessKey=…, Password=…, pwd=…, client_secret=…
  [
    /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|client_secret|access_token|refresh_token|id_token|client_assertion|sig|signature|code)=([^;&\s"']+)/gi,
    `$1=${MASK}`,
  ],
  // Passwords in URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):([^@/\s]+)@/gi, `$1:${MASK}@`],
  // JSON-ish secret fields: "password": "…", "clientSecret": "…", "token": "…"
  [
    /("(?:[A-Za-z]*[Pp]assword|[A-Za-z]*[Ss]ecret|[A-Za-z]*[Tt]oken|[A-Za-z]*[Cc]onnectionString|pat|authorization)"\s*:\s*)"[^"]*"/g,
    `$1"${MASK}"`,
  ],
];

/** Masks secrets in a string. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Masks secrets in an error's message (and cause chain) for display; returns one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactSecrets(error.message);
  return redactSecrets(String(error));
}
