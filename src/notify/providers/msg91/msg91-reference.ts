// Our idempotency key as MSG91's client reference. MSG91 takes a `CRQID` ("client request id") on
// a send and returns it as-is in every delivery report and webhook; it allows letters, digits,
// `_`, `.` and `-`, at most 80 characters. A key that fits is sent unchanged (and read back into
// receipts); any other key is sent as `h-` + base64url(SHA-256(key)), which fits, is stable, and
// can be matched by computing it again, but cannot be read back.
import { createHash } from 'node:crypto';

const fits = /^[A-Za-z0-9_.-]{1,80}$/;
const hashed = /^h-[A-Za-z0-9_-]{43}$/;

/** The CRQID for an idempotency key. */
export function msg91ClientReference(idempotencyKey: string): string {
  if (fits.test(idempotencyKey) && !hashed.test(idempotencyKey)) return idempotencyKey;
  return `h-${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}

/** The idempotency key a report's CRQID stands for, when it was sent unchanged. */
export function idempotencyKeyOfReference(crqid: string): string | undefined {
  if (!crqid || crqid === '0' || hashed.test(crqid) || !fits.test(crqid)) return undefined;
  return crqid;
}
