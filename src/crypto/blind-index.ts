// Exact lookups over encrypted fields: HMAC-SHA256 under a key separate from the master keys.
// The purpose is part of the input, so equal values in different fields do not correlate.
import { createHmacSha256 } from './hmac-sha256.ts';
import type { KeyStore } from './keystore.ts';

export type BlindIndex = (purpose: string, normalisedValue: string) => Buffer;

/** Callers normalise first (E.164 mobile, upper-case PAN, lower-case email). */
export function createBlindIndex(keys: Pick<KeyStore, 'blindIndexKey'>): BlindIndex {
  let current: Buffer | undefined;
  let mac: ((message: string) => Buffer) | undefined;
  return (purpose, value) => {
    const key = keys.blindIndexKey();
    if (key !== current) {
      current = key;
      mac = createHmacSha256(key);
    }
    return mac!(`${purpose}\u0000${value}`);
  };
}
