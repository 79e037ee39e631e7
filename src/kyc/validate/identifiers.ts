// Identifier checks of DOMAIN.md §2. Each takes raw text, normalises it and answers either the
// canonical value or the rule it breaks; none throws and none echoes the input in a rule.
import { panHolderTypes, type PanHolderLetter, type PanHolderType } from '../codes.ts';
import { patterns } from '../patterns.ts';
import { isGstinChecksumValid } from './gstin.ts';
import { isGstStateCode } from '../india-states.ts';
import type { RuleCode } from './rules.ts';
import { normalizeIdentifier } from './text.ts';
import { isVerhoeffValid } from './verhoeff.ts';

export type Checked<T = string> = { ok: true; value: T } | { ok: false; rule: RuleCode };

function pass<T>(value: T): Checked<T> {
  return { ok: true, value };
}
function fail(rule: RuleCode): Checked<never> {
  return { ok: false, rule };
}

/** PAN in canonical form, or `pan.format`. The last letter's checksum is not public: not checked. */
export function validatePan(raw: string): Checked {
  const pan = normalizeIdentifier(raw);
  return patterns.pan.test(pan) ? pass(pan) : fail('pan.format');
}

/** The holder type a valid PAN's 4th letter names. */
export function decodePanHolderType(pan: string): PanHolderType | undefined {
  return panHolderTypes[pan[3] as PanHolderLetter];
}

/** True for a PAN of an individual (4th letter P). */
export function isIndividualPan(pan: string): boolean {
  return pan[3] === 'P';
}

/**
 * For an individual the 5th letter is usually the surname's initial. A mismatch is only a warning
 * (single names, names changed at marriage); true when the letter matches or cannot be judged.
 */
export function isPanSurnameConsistent(pan: string, surname: string | undefined): boolean {
  if (!isIndividualPan(pan) || surname === undefined || surname === '') return true;
  return surname.toUpperCase().startsWith(pan[4]!);
}

const vid = /^[0-9]{16}$/;
const maskedAadhaar = /^[X*]{8}([0-9]{4})$/;

/**
 * Aadhaar reduced to its last four digits, the only part ever kept. A masked form (`XXXXXXXX1234`,
 * as KRAs send it) gives its last four; a 16-digit Virtual ID is refused as not an Aadhaar.
 */
export function validateAadhaar(raw: string): Checked {
  const digits = normalizeIdentifier(raw);
  const masked = maskedAadhaar.exec(digits);
  if (masked) return pass(masked[1]!);
  if (vid.test(digits)) return fail('aadhaar.vid_not_aadhaar');
  if (!patterns.aadhaar.test(digits)) return fail('aadhaar.format');
  if (!isVerhoeffValid(digits)) return fail('aadhaar.verhoeff');
  return pass(digits.slice(8));
}

/** IFSC in canonical form, or `ifsc.format`. */
export function validateIfsc(raw: string): Checked {
  const ifsc = normalizeIdentifier(raw);
  return patterns.ifsc.test(ifsc) ? pass(ifsc) : fail('ifsc.format');
}

/** Bank account number: 9-18 digits after removing spaces and hyphens. */
export function validateBankAccount(raw: string): Checked {
  const account = normalizeIdentifier(raw);
  return patterns.bankAccount.test(account) ? pass(account) : fail('bank_account.format');
}

/** BO id for the depository: CDSL 16 digits, NSDL `IN` + 14 digits. */
export function validateBoId(depository: 'CDSL' | 'NSDL', raw: string): Checked {
  const boId = normalizeIdentifier(raw);
  const pattern = depository === 'CDSL' ? patterns.cdslBoId : patterns.nsdlBoId;
  return pattern.test(boId) ? pass(boId) : fail('bo_id.format');
}

/** CKYC identification number: 14 digits. */
export function validateCkycKin(raw: string): Checked {
  const kin = normalizeIdentifier(raw);
  return patterns.ckycKin.test(kin) ? pass(kin) : fail('ckyc_kin.format');
}

/** GSTIN: pattern, GST state code, mod-36 check character and, when given, the PAN at characters 3-12. */
export function validateGstin(raw: string, pan?: string): Checked {
  const gstin = normalizeIdentifier(raw);
  if (!patterns.gstin.test(gstin)) return fail('gstin.format');
  if (!isGstStateCode(gstin.slice(0, 2))) return fail('gstin.state_code');
  if (!isGstinChecksumValid(gstin)) return fail('gstin.checksum');
  if (pan !== undefined && gstin.slice(2, 12) !== pan) return fail('gstin.pan_mismatch');
  return pass(gstin);
}

/** Indian driving licence, separators removed (formats vary by state and year: checked loosely). */
export function validateDrivingLicence(raw: string): Checked {
  const dl = normalizeIdentifier(raw);
  return patterns.drivingLicence.test(dl) ? pass(dl) : fail('driving_licence.format');
}
