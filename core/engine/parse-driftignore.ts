import { InputError } from '../errors.js';
import { globToRegExp } from './glob.js';

/** One line of a `.driftignore` file, compiled. */
export interface DriftignoreLine {
  line: number;
  negate: boolean;
  /** Matches the resource (by id, or by type and name). */
  resource: (id: string, type: string, name: string) => boolean;
  /** Matches a change path; absent = the whole resource. */
  path?: RegExp;
  text: string;
}

// Provider namespace (dots allowed) + '/' + type segments (no dots): Microsoft.Web/sites/config
const TYPED_LINE = /^((?:[A-Za-z0-9*]+\.)+[A-Za-z0-9*]+\/[A-Za-z0-9*/]+|\*)\.(.+)$/;

/**
 * Parses a `.driftignore` file: driftctl-style lines, last match wins, `*` wildcards, `!` negates,
 * `#` comments. Two forms:
 *
 * - `<Type>.<name>[.<property path>]`, dots inside names escaped as `\.`:
 *   `Microsoft.Storage/storageAccounts.*.tags.costcenter`, `Microsoft.Network/dnsZones.contoso\.com`
 * - `<resource id glob>[:<property path>]`:
 *   `/subscriptions/*\/resourceGroups/rg-sandbox/*`, `/subscriptions/*\/…/vm-01:properties.hardwareProfile`
 *
 * @example
 * parseDriftignore('Microsoft.Web/sites.*.tags.*\n!Microsoft.Web/sites.app-prod.tags.env', '.driftignore')
 */
export function parseDriftignore(text: string, source: string): DriftignoreLine[] {
  const out: DriftignoreLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const negate = trimmed.startsWith('!');
    const body = negate ? trimmed.slice(1).trim() : trimmed;
    if (body.startsWith('/')) {
      const [idGlob = '', pathGlob] = splitOnce(body, ':');
      const re = globToRegExp(idGlob);
      out.push({
        line,
        negate,
        text: trimmed,
        resource: (id) => re.test(id),
        ...(pathGlob ? { path: globToRegExp(pathGlob) } : {}),
      });
      return;
    }
    const typed = TYPED_LINE.exec(body);
    if (!typed) {
      throw new InputError(
        'input.bad-driftignore',
        `${source}:${line}: "${trimmed}" is not an ignore line; expected <Type>.<name>[.<path>] (e.g. Microsoft.Storage/storageAccounts.*.tags.costcenter) or a resource id glob starting with /subscriptions/`,
      );
    }
    const typeRe = globToRegExp(typed[1] ?? '*');
    const [nameGlob = '*', ...pathParts] = splitUnescaped(typed[2] ?? '*');
    const nameRe = globToRegExp(nameGlob);
    const entry: DriftignoreLine = {
      line,
      negate,
      text: trimmed,
      resource: (_id, type, name) => typeRe.test(type) && nameRe.test(name),
    };
    if (pathParts.length > 0) entry.path = globToRegExp(pathParts.join('.'));
    out.push(entry);
  });
  return out;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Splits on `.` except where escaped as `\.`. */
function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '.') {
      current += '.';
      i += 1;
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
