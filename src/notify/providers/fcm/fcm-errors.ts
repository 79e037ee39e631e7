// How FCM HTTP v1 answers map to send outcomes. FCM errors are Google API errors
// (`{"error":{"code","message","status","details":[...]}}`); the FCM-specific reason is the
// `errorCode` of the `google.firebase.fcm.v1.FcmError` detail, and a malformed token shows up as a
// `google.rpc.BadRequest` field violation on `message.token`. Outcome details name the code and
// the HTTP status only: FCM's own `message` may quote the token, so it never reaches an outcome.
import type { SendOutcome } from '../../channel-provider.ts';

export type FcmErrorAnswer = {
  /** FcmError.errorCode (UNREGISTERED, QUOTA_EXCEEDED, ...), when FCM gave one. */
  errorCode?: string;
  /** google.rpc status (NOT_FOUND, INVALID_ARGUMENT, UNAUTHENTICATED, ...). */
  status?: string;
  /** The request field a BadRequest detail blames, e.g. `message.token`. */
  badField?: string;
};

/** Reads a Google API error body; anything unparsable yields an empty answer (classified by HTTP status). */
export function readFcmError(text: string): FcmErrorAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const error = (parsed as { error?: { status?: unknown; details?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return {};
  const answer: FcmErrorAnswer = {};
  if (typeof error.status === 'string') answer.status = error.status;
  for (const detail of Array.isArray(error.details) ? (error.details as Array<Record<string, unknown>>) : []) {
    const type = typeof detail?.['@type'] === 'string' ? detail['@type'] : '';
    if (type.endsWith('google.firebase.fcm.v1.FcmError') && typeof detail.errorCode === 'string') answer.errorCode = detail.errorCode;
    if (type.endsWith('google.rpc.BadRequest') && Array.isArray(detail.fieldViolations)) {
      const field = (detail.fieldViolations as Array<{ field?: unknown }>).find((v) => typeof v?.field === 'string')?.field;
      if (typeof field === 'string') answer.badField = field;
    }
  }
  return answer;
}

const retryableCodes = new Set(['QUOTA_EXCEEDED', 'UNAVAILABLE', 'INTERNAL']);
const permanentCodes = new Set(['INVALID_ARGUMENT', 'SENDER_ID_MISMATCH', 'THIRD_PARTY_AUTH_ERROR']);

/**
 * Classifies a non-2xx FCM answer (PROVIDERS.md): UNREGISTERED drops the token; a token FCM calls
 * malformed is dropped too; INVALID_ARGUMENT, SENDER_ID_MISMATCH and THIRD_PARTY_AUTH_ERROR are
 * permanent; QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, any other 5xx and 429 are retryable with FCM's
 * Retry-After. A 401 without an FcmError is our access token being refused: retryable, once the
 * caller has dropped the cached token.
 */
export function classifyFcmError(httpStatus: number, answer: FcmErrorAnswer, retryAfterMs: number | undefined): SendOutcome {
  const code = answer.errorCode ?? answer.status ?? `http_${httpStatus}`;
  const detail = `FCM answered HTTP ${httpStatus} ${code}`;
  const wait = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (answer.errorCode === 'UNREGISTERED') {
    return { kind: 'permanent', code, detail: `${detail}: the device token is no longer registered`, recipientInvalid: true, tokenUnregistered: true };
  }
  if (answer.badField === 'message.token') {
    return { kind: 'permanent', code, detail: `${detail}: the device token is not a valid FCM registration token`, recipientInvalid: true, tokenUnregistered: true };
  }
  if (answer.errorCode && retryableCodes.has(answer.errorCode)) return { kind: 'retryable', code, detail, ...wait };
  if (answer.errorCode && permanentCodes.has(answer.errorCode)) return { kind: 'permanent', code, detail };
  if (httpStatus === 401) return { kind: 'retryable', code, detail: `${detail}: access token refused, fetching a new one`, ...wait };
  if (httpStatus === 429 || httpStatus >= 500) return { kind: 'retryable', code, detail, ...wait };
  return { kind: 'permanent', code, detail };
}
