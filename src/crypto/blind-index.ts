// Exact lookups over encrypted fields: HMAC-SHA256 under a key separate from the master keys.
// The purpose is part of the input, so equal values in different fields do not correlate.
import { createHmac } from 'node:crypto';
import type { KeyStore } from './keystore.ts';

export type BlindIndex = (purpose: string, normalisedValue: string) => Buffer;

/** Callers normalise first (E.164 mobile, upper-case PAN, lower-case email). */
export function createBlindIndex(keys: KeyStore): BlindIndex {
  return (purpose, value) => createHmac('sha256', keys.blindIndexKey()).update(`${purpose}\u0000${value}`, 'utf8').digest();
}
