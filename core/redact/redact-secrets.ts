import { SECRET_SHOWN, showMarkers } from '../secrets/secret-marker.js';
import { replaceSecretSpans } from './secret-patterns.js';

/**
 * The one sanitiser every error, log line, chat message and report passes through before it is
 * shown. It masks known secret shapes (bearer tokens, JWTs, PEM private keys, Slack tokens,
 * connection-string keys, SAS signatures, URL passwords, storage account keys) and any value
 * registered with {@link registerSecret} (client secrets, PATs read from config), wherever they
 * appear, and shows the keyed-hash markers secrets become at ingestion as `(secret)`.
 */

const MASK = '***';
const registered = new Set<string>();

/** Remember a secret value so it is masked wherever it appears later. Ignores short values. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

const mask = (secret: string) => (secret === SECRET_SHOWN || secret === MASK ? secret : MASK);

/** Masks secrets in a string. */
export function redactSecrets(text: string): string {
  let out = showMarkers(text);
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return replaceSecretSpans(out, mask);
}

/** Masks secrets in an error's message (and cause chain) for display; returns one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactSecrets(error.message);
  return redactSecrets(String(error));
}
