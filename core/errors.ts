/**
 * One error class per failure family, each with a stable string `code` (bolt-js style), the
 * `cause`, and for HTTP the status, URL and request id. Hosts map these to exit codes, task
 * results and chat replies; nothing outside an adapter-level classifier inspects message text.
 *
 * @example
 * throw new InputError('input.duplicate-id', `duplicate resource id ${id} in ${file}`);
 */
export class DriftwatchError extends Error {
  readonly code: string;
  /** Extra facts for logs and JSON output; never secrets (everything passes the sanitiser). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A CLI flag, slash command, button payload or task input that is not valid. */
export class UsageError extends DriftwatchError {}

/** A file or document that cannot be read or is not of an accepted shape. */
export class InputError extends DriftwatchError {}

/** A configuration file or environment variable that is unknown or of the wrong type. */
export class ConfigError extends DriftwatchError {}

/** The baseline/history store could not be opened, read or written. */
export class StoreError extends DriftwatchError {}

/** Credentials could not be obtained or were refused. */
export class AuthError extends DriftwatchError {}

/** A remote service (ARM, Resource Graph, Azure DevOps, Slack, Bot Framework) failed a request. */
export class HttpError extends DriftwatchError {
  readonly status: number | undefined;
  readonly url: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      status?: number;
      url?: string;
      requestId?: string;
      cause?: unknown;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
    this.url = options.url;
    this.requestId = options.requestId;
  }
}

/** Approval, authorisation and remediation refusals (not an approver, expired request, …). */
export class PermissionError extends DriftwatchError {}

export function isDriftwatchError(error: unknown): error is DriftwatchError {
  return error instanceof DriftwatchError;
}
