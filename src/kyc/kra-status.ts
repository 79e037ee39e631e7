// KRA status codes (DOMAIN.md §1): three digits, the first names the KRA, the last two the status;
// 11-14 are the "existing KYC" forms of 01-04.
import { kras } from './codes.ts';

export type Kra = (typeof kras)[number];

export const kraStatusNames = {
  '00': 'NOT_CHECKED',
  '01': 'SUBMITTED',
  '02': 'REGISTERED',
  '03': 'ON_HOLD',
  '04': 'REJECTED',
  '05': 'NOT_AVAILABLE',
  '06': 'DEACTIVATED',
  '07': 'VALIDATED',
} as const;
export type KraStatusSuffix = keyof typeof kraStatusNames;
export type KraStatusName = (typeof kraStatusNames)[KraStatusSuffix];

export type DecodedKraStatus = {
  kra: Kra;
  status: KraStatusName;
  /** True for the 11-14 forms (a KYC that existed before the KRA regime, re-registered). */
  existingKyc: boolean;
  /** A client on hold cannot transact. */
  onHold: boolean;
  /** A validated record can be used by any intermediary without a fresh KYC. */
  portable: boolean;
};

const codePattern = /^[0-4](0[0-7]|1[1-4])$/;

/** True when `code` is a well-formed status code: a known KRA digit and a known status. */
export function isKraStatusCode(code: string): boolean {
  return codePattern.test(code);
}

/** Decodes a three-digit status code; null (never a throw) for anything malformed. */
export function decodeKraStatus(code: string): DecodedKraStatus | null {
  if (!codePattern.test(code)) return null;
  const kra = kras[Number(code[0])];
  const existingKyc = code[1] === '1';
  const suffix = (existingKyc ? `0${code[2]}` : code.slice(1)) as KraStatusSuffix;
  const status = kraStatusNames[suffix];
  if (kra === undefined) return null;
  return { kra, status, existingKyc, onHold: status === 'ON_HOLD', portable: status === 'VALIDATED' };
}

const statusNumbers = new Map(Object.entries(kraStatusNames).map(([suffix, name]) => [name, Number(suffix)]));

/** Builds the status code of `kra` in `status`; `existingKyc` only exists for SUBMITTED..REJECTED. */
export function encodeKraStatus(kra: Kra, status: KraStatusName, existingKyc = false): string {
  const n = statusNumbers.get(status) ?? 0;
  const form = existingKyc && n >= 1 && n <= 4 ? 10 + n : n;
  return `${kras.indexOf(kra)}${String(form).padStart(2, '0')}`;
}

/** The KRA a status code belongs to, or null when the code is malformed. */
export function kraOfStatus(code: string): Kra | null {
  return decodeKraStatus(code)?.kra ?? null;
}
