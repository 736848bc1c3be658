import {
  AuthError,
  DriftwatchError,
  InputError,
  isDriftwatchError,
  PermissionError,
  StoreError,
  UsageError,
} from '../errors.js';

/** Every error the API answers with, by stable code. */
export const API_ERROR_CODES = [
  'bad-parameter',
  'bad-body',
  'unauthenticated',
  'forbidden',
  'not-found',
  'route-not-found',
  'method-not-allowed',
  'conflict',
  'payload-too-large',
  'not-configured',
  'store-unavailable',
  'auth-unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const STATUS: Record<ApiErrorCode, number> = {
  'bad-parameter': 400,
  'bad-body': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'route-not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'payload-too-large': 413,
  'not-configured': 501,
  'store-unavailable': 503,
  'auth-unavailable': 503,
  internal: 500,
};

/** The JSON body of every error answer. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    /** The query, path or body parameter that was refused. */
    parameter?: string;
    /** The code of the underlying driftwatch error (`remediation.not-approver` …), when there is one. */
    reason?: string;
  };
}

/** An API refusal: an HTTP status, a stable code and one message naming what would be valid. */
export class ApiError extends DriftwatchError {
  readonly apiCode: ApiErrorCode;
  readonly status: number;
  readonly parameter: string | undefined;

  constructor(
    apiCode: ApiErrorCode,
    message: string,
    options: { parameter?: string; cause?: unknown } = {},
  ) {
    super(`api.${apiCode}`, message, options.cause === undefined ? {} : { cause: options.cause });
    this.apiCode = apiCode;
    this.status = STATUS[apiCode];
    this.parameter = options.parameter;
  }

  body(): ApiErrorBody {
    const cause = this.cause;
    return {
      error: {
        code: this.apiCode,
        message: this.message,
        ...(this.parameter ? { parameter: this.parameter } : {}),
        ...(isDriftwatchError(cause) ? { reason: cause.code } : {}),
      },
    };
  }
}

/** Codes of core errors that mean "there is no such thing". */
const NOT_FOUND = /\.(not-found|no-plan|no-report|unknown-finding|no-finding|no-baseline)$/;

/**
 * Turns anything a handler threw into an {@link ApiError}: driftwatch's coded errors keep their
 * message (already written for people) and code; anything else is an internal error whose
 * message is not shown.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthError)
    return new ApiError('unauthenticated', error.message, { cause: error });
  if (error instanceof PermissionError)
    return new ApiError('forbidden', error.message, { cause: error });
  if (error instanceof StoreError) {
    if (error.code === 'store.ambiguous-id')
      return new ApiError('bad-parameter', error.message, { parameter: 'id', cause: error });
    return new ApiError('store-unavailable', 'the store could not be reached; try again', {
      cause: error,
    });
  }
  if (error instanceof DriftwatchError && NOT_FOUND.test(error.code)) {
    return new ApiError('not-found', error.message, { cause: error });
  }
  if (error instanceof UsageError || error instanceof InputError) {
    return new ApiError('bad-body', error.message, { cause: error });
  }
  if (error instanceof DriftwatchError)
    return new ApiError('conflict', error.message, { cause: error });
  return new ApiError('internal', 'internal error', { cause: error });
}
