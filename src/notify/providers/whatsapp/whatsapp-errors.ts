// How a WhatsApp Cloud API (Graph API) error answer becomes a SendOutcome. Meta asks callers to
// decide on `error.code` (and `error_data.details`), never on the message text, so the code
// decides first and the HTTP status only for codes we do not know. Details in outcomes are our
// own words plus Meta's `details` with the recipient and every parameter value removed: Meta's
// texts may quote what we sent, and outcomes end up in logs and the web console.
import type { SendOutcome } from '../../channel-provider.ts';
import { SECOND } from '../../../platform/time.ts';

/** Meta's pair rate limit: about one message per 6 s to the same user (code 131056). */
export const pairRateLimitWaitMs = 6 * SECOND;

type Rule =
  | { kind: 'permanent'; what: string; recipientInvalid?: true }
  | { kind: 'retryable'; what: string; waitMs?: number };

/** The codes of ../shared/PROVIDERS.md and Meta's error-code reference that change what we do. */
const rules: Record<number, Rule> = {
  0: { kind: 'permanent', what: 'authentication failed (AuthException)' },
  3: { kind: 'permanent', what: 'app lacks the capability or permission' },
  10: { kind: 'permanent', what: 'permission denied' },
  100: { kind: 'permanent', what: 'invalid parameter or unknown phone number id' },
  190: { kind: 'permanent', what: 'access token expired or invalid' },
  200: { kind: 'permanent', what: 'API permission missing' },
  131026: { kind: 'permanent', what: 'message undeliverable: recipient not on WhatsApp or cannot receive it', recipientInvalid: true },
  131047: { kind: 'permanent', what: 'outside the 24-hour customer-service window: needs an approved template' },
  131050: { kind: 'permanent', what: 'user stopped marketing messages from this business' },
  131051: { kind: 'permanent', what: 'unsupported message type' },
  131008: { kind: 'permanent', what: 'required parameter missing' },
  131009: { kind: 'permanent', what: 'parameter value invalid' },
  132000: { kind: 'permanent', what: 'template parameter count mismatch' },
  132001: { kind: 'permanent', what: 'template does not exist in this language or is not approved' },
  132005: { kind: 'permanent', what: 'template text too long after substitution' },
  132012: { kind: 'permanent', what: 'template parameter format mismatch' },
  132015: { kind: 'permanent', what: 'template paused for low quality' },
  132016: { kind: 'permanent', what: 'template disabled' },
  4: { kind: 'retryable', what: 'application request limit reached' },
  80007: { kind: 'retryable', what: 'WhatsApp Business account rate limit reached' },
  130429: { kind: 'retryable', what: 'throughput limit of the phone number reached' },
  131056: { kind: 'retryable', what: 'pair rate limit: too many messages to this user', waitMs: pairRateLimitWaitMs },
  131048: { kind: 'retryable', what: 'spam rate limit: too many earlier messages were blocked or flagged' },
  131000: { kind: 'retryable', what: 'Meta reported an unknown internal error' },
  131016: { kind: 'retryable', what: 'service temporarily unavailable' },
  133004: { kind: 'retryable', what: 'server temporarily unavailable' },
  1: { kind: 'retryable', what: 'unknown API error' },
  2: { kind: 'retryable', what: 'API service temporarily unavailable' },
};

export type GraphError = { code?: number; subcode?: number; type?: string; details?: string; fbtraceId?: string };

/** Reads `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`; null when the body is not one. */
/** Whether a Meta error code means the recipient cannot be reached on WhatsApp at all (also in status webhooks). */
export function isRecipientInvalidCode(code: number): boolean {
  const rule = rules[code];
  return rule?.kind === 'permanent' && rule.recipientInvalid === true;
}

export function readGraphError(text: string): GraphError | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  const data = e.error_data as Record<string, unknown> | undefined;
  return {
    code: typeof e.code === 'number' ? e.code : undefined,
    subcode: typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
    type: typeof e.type === 'string' ? e.type : undefined,
    details: typeof data?.details === 'string' ? data.details : undefined,
    fbtraceId: typeof e.fbtrace_id === 'string' ? e.fbtrace_id : undefined,
  };
}

/**
 * Classifies a non-2xx answer. `retryAfterMs` is the parsed Retry-After header, when sent;
 * `secrets` are the values that must not reach the detail (recipient, parameters).
 */
export function classifyErrorAnswer(status: number, error: GraphError | null, retryAfterMs: number | undefined, secrets: string[]): SendOutcome {
  const code = error?.code;
  const rule = code === undefined ? undefined : rules[code];
  const codeText = code === undefined ? `http_${status}` : String(code);
  const what = rule?.what ?? (code === undefined ? 'no Graph API error in the answer' : 'unlisted Graph API error');
  const detail = describe(status, what, error, secrets);
  if (rule?.kind === 'permanent') return { kind: 'permanent', code: codeText, detail, ...(rule.recipientInvalid ? { recipientInvalid: true } : {}) };
  const wait = retryAfterMs ?? (rule?.kind === 'retryable' ? rule.waitMs : undefined);
  if (rule?.kind === 'retryable' || status === 429 || status === 408 || status >= 500) {
    return { kind: 'retryable', code: codeText, detail, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  // Any other 4xx is a request Meta will refuse again unchanged.
  return { kind: 'permanent', code: codeText, detail };
}

function describe(status: number, what: string, error: GraphError | null, secrets: string[]): string {
  const parts = [`HTTP ${status}: ${what}`];
  if (error?.type) parts.push(`type ${error.type}`);
  if (error?.subcode !== undefined) parts.push(`subcode ${error.subcode}`);
  if (error?.details) parts.push(`details: ${redact(error.details, secrets)}`);
  if (error?.fbtraceId) parts.push(`fbtrace_id ${error.fbtraceId}`);
  return parts.join('; ').slice(0, 500);
}

/**
 * Removes every secret from a provider text, then any run of 7+ digits (a phone number in another
 * form). Short values (under 4 characters) are removed only where they stand alone, so that a
 * parameter "5" does not blank every digit 5 of the text yet never shows in clear by itself.
 */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  const values = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  for (const value of values) {
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = value.length >= 4 ? new RegExp(escaped, 'gu') : new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu');
    out = out.replace(pattern, '[redacted]');
  }
  return out.replace(/\+?\d[\d ()-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '[redacted]' : run));
}
