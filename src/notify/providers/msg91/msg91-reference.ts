// Our idempotency key as MSG91's client reference. MSG91 takes a `CRQID` ("client request id") on
// a send and returns it as-is in every delivery report and webhook; it allows letters, digits,
// `_`, `.` and `-`, at most 80 characters.
//
// Ledger keys are `event:client:channel`, so the colon is escaped, reversibly: `_` becomes `__`
// and `:` becomes `_-`. A receipt then carries our key back, which is what settles a send whose
// answer was lost (the dispatcher waits for such a receipt before sending again). A key with other
// characters, or longer than 80 once escaped, is sent as `h-` + base64url(SHA-256(key)): stable and
// within the limit, matchable by computing it again, but not readable back.
import { createHash } from 'node:crypto';

const fits = /^[A-Za-z0-9_.-]{1,80}$/;
const escapable = /^[A-Za-z0-9_.:-]+$/;
const hashed = /^h-[A-Za-z0-9_-]{43}$/;

/** The CRQID for an idempotency key. */
export function msg91ClientReference(idempotencyKey: string): string {
  if (escapable.test(idempotencyKey)) {
    const escaped = idempotencyKey.replace(/_/g, '__').replace(/:/g, '_-');
    if (fits.test(escaped) && !hashed.test(escaped)) return escaped;
  }
  return `h-${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}

/** The idempotency key a report's CRQID stands for; undefined when it was hashed, absent or not ours. */
export function idempotencyKeyOfReference(crqid: string): string | undefined {
  if (!crqid || crqid === '0' || hashed.test(crqid) || !fits.test(crqid)) return undefined;
  let key = '';
  for (let i = 0; i < crqid.length; i++) {
    const c = crqid[i]!;
    if (c !== '_') {
      key += c;
      continue;
    }
    const next = crqid[++i];
    if (next === '_') key += '_';
    else if (next === '-') key += ':';
    else return undefined;
  }
  return key;
}
