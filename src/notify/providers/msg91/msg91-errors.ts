// How MSG91 answers to a send map to outcomes. MSG91's HTTP send API answers errors as
// `{"type":"error","message":"...","code":"202"}` (usually with HTTP 200); its documented codes
// are the 1xx (missing parameter), 2xx (invalid parameter) and 3xx (account and request) codes
// below. DLT scrubbing failures carry the DLT platform's 6xx codes (60x entity, 62x header,
// 63x template: TEMPLATE_NOT_FOUND, TEMPLATE_INACTIVE, ...): all permanent, since the same request
// fails the same way until someone fixes the registration. Details never quote MSG91's message
// text (it can echo the number or the text); they name the code and its meaning.
import type { SendOutcome } from '../../channel-provider.ts';

type CodeRule = { kind: 'retryable' | 'permanent'; meaning: string; recipientInvalid?: true };

const apiCodes: Record<string, CodeRule> = {
  '101': { kind: 'permanent', meaning: 'missing mobile number', recipientInvalid: true },
  '102': { kind: 'permanent', meaning: 'missing message' },
  '103': { kind: 'permanent', meaning: 'missing sender id (DLT header)' },
  '105': { kind: 'permanent', meaning: 'missing password' },
  '106': { kind: 'permanent', meaning: 'missing authentication key' },
  '107': { kind: 'permanent', meaning: 'missing route' },
  '202': { kind: 'permanent', meaning: 'invalid mobile number', recipientInvalid: true },
  '203': { kind: 'permanent', meaning: 'invalid sender id (DLT header)' },
  '207': { kind: 'permanent', meaning: 'invalid authentication key' },
  '208': { kind: 'permanent', meaning: 'IP is blacklisted' },
  // Account-level, not the message's fault: a top-up makes the same request succeed.
  '301': { kind: 'retryable', meaning: 'insufficient balance' },
  '302': { kind: 'permanent', meaning: 'expired user account' },
  '303': { kind: 'permanent', meaning: 'banned user account' },
  // The promotional route outside its hours (TRAI: 10:00-21:00 IST): never sent, never queued.
  '306': { kind: 'permanent', meaning: 'route unavailable at this hour (promotional time window)' },
  '307': { kind: 'permanent', meaning: 'incorrect scheduled time' },
  '308': { kind: 'permanent', meaning: 'campaign name too long' },
  '310': { kind: 'permanent', meaning: 'SMS too long' },
  '418': { kind: 'permanent', meaning: 'IP is not whitelisted' },
};

/** MSG91's "same request twice within 10 seconds": the first one was taken. */
export const duplicateRequestCode = '311';

const dltCategories: Array<[number, number, string]> = [
  [600, 609, 'DLT entity (PE id) not registered, inactive or not allowed'],
  [610, 619, 'DLT telemarketer binding failure'],
  [620, 629, 'DLT header not registered, inactive or not matched with the entity'],
  [630, 639, 'DLT template not found, inactive or not matched'],
  [640, 699, 'DLT scrubbing failure'],
];

/** The meaning of a DLT scrubbing code, or undefined when the code is not one. */
export function dltMeaning(code: string): string | undefined {
  if (!/^\d{3}$/.test(code)) return undefined;
  const n = Number(code);
  return dltCategories.find(([from, to]) => n >= from && n <= to)?.[2];
}

/** Classifies an MSG91 `type: error` answer by its code (HTTP 2xx or 4xx). */
export function classifyMsg91Error(code: string | undefined, httpStatus: number): SendOutcome {
  if (code === undefined || code === '') {
    const http = `http_${httpStatus}`;
    return { kind: 'permanent', code: http, detail: `MSG91 refused the request (HTTP ${httpStatus}) without an error code` };
  }
  const rule = apiCodes[code];
  if (rule?.kind === 'retryable') return { kind: 'retryable', code, detail: `MSG91 error ${code}: ${rule.meaning}` };
  if (rule) return { kind: 'permanent', code, detail: `MSG91 error ${code}: ${rule.meaning}`, ...(rule.recipientInvalid ? { recipientInvalid: true } : {}) };
  const dlt = dltMeaning(code);
  if (dlt) return { kind: 'permanent', code, detail: `MSG91 error ${code}: ${dlt}` };
  return { kind: 'permanent', code, detail: `MSG91 error ${code}` };
}

/** Throttling and server failures: retryable, with MSG91's Retry-After when it gives one. */
export function classifyMsg91HttpFailure(httpStatus: number, retryAfterMs: number | undefined): SendOutcome {
  return { kind: 'retryable', code: `http_${httpStatus}`, detail: `MSG91 answered HTTP ${httpStatus}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
