// What Twilio's answers mean to the dispatcher (../shared/PROVIDERS.md, Twilio section): error codes
// to retryable or permanent outcomes, message statuses to receipt statuses. Details are written
// here, never copied from Twilio's messages, which quote the phone number.
import type { ReceiptStatus, SendOutcome } from '../../channel-provider.ts';
import type { TwilioCall } from './http-client.ts';

type Failure = Exclude<SendOutcome, { kind: 'accepted' }>;

/** Permanent codes: the description, and whether the recipient can never be reached by SMS. */
const permanentCodes: Record<string, { what: string; recipientInvalid: boolean }> = {
  '21211': { what: "invalid 'To' number", recipientInvalid: true },
  '21610': { what: 'recipient unsubscribed (STOP)', recipientInvalid: true },
  '21614': { what: "'To' number cannot receive SMS", recipientInvalid: true },
  '30006': { what: 'landline or unreachable carrier', recipientInvalid: true },
  '21608': { what: 'number not verified for this trial account', recipientInvalid: false },
  '21900': { what: 'DLT entity rejected', recipientInvalid: false },
  '21901': { what: 'DLT template rejected', recipientInvalid: false },
};

const retryableCodes: Record<string, string> = {
  '20429': 'too many requests',
  '30003': 'handset unreachable',
};

/** Twilio's error bodies: `{ code, message, more_info, status }` (RestException) or RFC 9457. */
type TwilioError = { status: number; code?: number | string };

function isTwilioError(error: unknown): error is TwilioError {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** Turns whatever a send threw into an outcome; `call` says why there was no answer, if none came. */
export function classifySendError(error: unknown, call: TwilioCall): Failure {
  if (call.failure) {
    const code = call.failure.kind;
    return { kind: 'retryable', code, detail: `Twilio: ${call.failure.detail}` };
  }
  if (!isTwilioError(error)) {
    // A 2xx whose body was not the message JSON: Twilio may have taken the message.
    return { kind: 'retryable', code: 'bad_response', detail: 'Twilio: unreadable answer; the send may have been accepted' };
  }
  const status = error.status;
  const code = error.code === undefined || error.code === null || error.code === '' ? undefined : String(error.code);
  const label = code ? `Twilio ${code}` : `Twilio HTTP ${status}`;
  const permanent = code ? permanentCodes[code] : undefined;
  if (permanent) {
    return { kind: 'permanent', code: code!, detail: `${label}: ${permanent.what} (HTTP ${status})`, ...(permanent.recipientInvalid ? { recipientInvalid: true } : {}) };
  }
  const outcomeCode = code ?? `http_${status}`;
  const retryable = (code && retryableCodes[code]) ?? (status === 429 ? 'too many requests' : status === 408 ? 'request timeout' : status >= 500 ? 'server error' : undefined);
  if (retryable) {
    return { kind: 'retryable', code: outcomeCode, detail: `${label}: ${retryable} (HTTP ${status})`, ...(call.retryAfterMs !== undefined ? { retryAfterMs: call.retryAfterMs } : {}) };
  }
  return { kind: 'permanent', code: outcomeCode, detail: `${label}: request refused (HTTP ${status})` };
}

/** Whether a lookup error means "Twilio has no such message". */
export function isNotFound(error: unknown): boolean {
  return isTwilioError(error) && error.status === 404;
}

/** A safe one-line reason for a failed lookup (pollStatus, findSent), for the error they throw. */
export function describeLookupError(error: unknown, call: TwilioCall): string {
  const outcome = classifySendError(error, call);
  return `${outcome.code}: ${outcome.detail}`;
}

/**
 * Twilio message statuses as receipt statuses. The ones before the message leaves Twilio (queued,
 * accepted, scheduled, sending) and inbound ones have no receipt yet: null.
 */
export function receiptStatusOf(twilioStatus: string): ReceiptStatus | null {
  switch (twilioStatus) {
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'partially_delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}
