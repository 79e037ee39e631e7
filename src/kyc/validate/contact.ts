// Contact checks: mobile to E.164, email, pincode and its postal circle.
import { patterns, limits } from '../patterns.ts';
import { isPincodeInState } from '../india-states.ts';
import type { Checked } from './identifiers.ts';
import { normalizeEmail, normalizeIdentifier, normalizePhone } from './text.ts';

const indianMobile = /^(?:\+91|91|0)?([6-9][0-9]{9})$/;

/**
 * Indian mobile (10 digits from 6-9, optionally +91, 91 or 0 in front) to `+91XXXXXXXXXX`. When
 * `allowForeign` (non-residents) a number in E.164 with another country code (`+` or `00`) is kept.
 */
export function validateMobile(raw: string, allowForeign = false): Checked {
  const phone = normalizePhone(raw);
  const indian = indianMobile.exec(phone);
  if (indian) return { ok: true, value: `+91${indian[1]}` };
  if (allowForeign) {
    const e164 = phone.startsWith('00') ? `+${phone.slice(2)}` : phone;
    if (patterns.e164.test(e164) && !e164.startsWith('+91')) return { ok: true, value: e164 };
  }
  return { ok: false, rule: 'mobile.format' };
}

// RFC-lite: dot-atom local part, a dotted domain of letter/digit/hyphen labels, an alphabetic TLD.
const emailPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;

/** Email, lowercased, at most 100 characters. */
export function validateEmail(raw: string): Checked {
  const email = normalizeEmail(raw);
  if (email.length > limits.emailLength) return { ok: false, rule: 'email.too_long' };
  return emailPattern.test(email) ? { ok: true, value: email } : { ok: false, rule: 'email.format' };
}

/** Six-digit pincode not starting with 0. */
export function validatePincode(raw: string): Checked {
  const pincode = normalizeIdentifier(raw);
  return patterns.pincode.test(pincode) ? { ok: true, value: pincode } : { ok: false, rule: 'pincode.format' };
}

/** Postal code outside India (letters, digits, space or hyphen, 3-10 characters). */
export function validateForeignPostalCode(raw: string): Checked {
  const code = normalizeIdentifier(raw);
  return patterns.foreignPostalCode.test(code) ? { ok: true, value: code } : { ok: false, rule: 'postal_code.format' };
}

/** True when the pincode's postal circle (first two digits) belongs to the state. */
export function isPincodeConsistent(pincode: string, stateCode: string): boolean {
  return isPincodeInState(pincode, stateCode);
}
