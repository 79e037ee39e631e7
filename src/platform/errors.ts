// One catalogue of error codes. Each code has an HTTP status, a retryability and a line in
// docs/errors.md; test/platform/errors.test.ts fails when the catalogue and the document disagree.

export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, retryable: false, summary: 'The request body, query or parameters broke a rule of the route schema; `details` lists each field and rule.' },
  MALFORMED_JSON: { status: 400, retryable: false, summary: 'The request body is not valid JSON.' },
  AUTH_REQUIRED: { status: 401, retryable: false, summary: 'No credentials were sent; send `Authorization: Bearer <access token or API key>`.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, retryable: false, summary: 'Email or password is incorrect (an unknown user and a wrong password answer the same).' },
  AUTH_TOKEN_INVALID: { status: 401, retryable: false, summary: 'The access token, refresh token or API key is malformed, expired or revoked.' },
  AUTH_REFRESH_REUSED: { status: 401, retryable: false, summary: 'A refresh token was used twice; its whole family is revoked and the user must sign in again.' },
  FORBIDDEN: { status: 403, retryable: false, summary: "The caller's role or API-key scope does not allow this route." },
  NOT_FOUND: { status: 404, retryable: false, summary: 'No route or resource with that path or id.' },
  CONFLICT: { status: 409, retryable: false, summary: 'The resource already exists or changed concurrently.' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, summary: 'The request body is larger than `BODY_LIMIT_BYTES`.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, summary: 'The `Content-Type` is not one the route accepts.' },
  EVENT_BATCH_TOO_LARGE: { status: 413, retryable: false, summary: 'More events in one request than the batch limit (1,000); split the batch.' },
  EVENTS_REJECTED: { status: 422, retryable: false, summary: "Every event of the request was rejected; `details.results` gives each event's field and rule." },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false, summary: 'The `Idempotency-Key` was already used with a different request body; use a new key for a new request.' },
  TEMPLATE_INVALID: { status: 422, retryable: false, summary: 'A message template cannot be saved: an unknown variable or format, a malformed DLT or WhatsApp field, or a render of the catalog sample that fails or does not match the registered DLT text; `details` lists each field, rule and position.' },
  RATE_LIMITED: { status: 429, retryable: true, summary: 'Too many requests for this account, address or key; retry after `Retry-After` seconds.' },
  INTERNAL: { status: 500, retryable: false, summary: 'An unexpected failure; the response carries a request id to find it in the logs.' },
  KEY_UNAVAILABLE: { status: 500, retryable: false, summary: 'A master key needed to unwrap a data key is not in the key store.' },
  DECRYPTION_FAILED: { status: 500, retryable: false, summary: 'Ciphertext failed authentication (tampered, or under a destroyed data key).' },
  STORE_UNAVAILABLE: { status: 503, retryable: true, summary: 'The database could not be reached or is not migrated.' },
  CONFIG_INVALID: { status: 500, retryable: false, summary: 'The environment holds unknown or malformed values; start-up stops and lists every problem.' },
} as const satisfies Record<string, { status: number; retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export type AppErrorOptions = {
  cause?: unknown;
  /** Structured, non-personal detail for the caller (field names and rules, never values). */
  details?: unknown;
  /** Overrides the catalogue's retryability for this instance. */
  retryable?: boolean;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.retryable = options.retryable ?? errorCatalogue[code].retryable;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Retryability travels on the error, so callers never parse messages. */
export function isRetryable(error: unknown): boolean {
  return isAppError(error) ? error.retryable : false;
}
