// GSTIN check character: the mod-36 scheme GSTN publishes (Luhn mod N over 0-9A-Z, factors 1,2,1,2...).
import { patterns } from '../patterns.ts';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The check character for the first 14 characters of a GSTIN (uppercase 0-9A-Z only). */
export function computeGstinCheckChar(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const value = alphabet.indexOf(first14[i] ?? '0');
    const product = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return alphabet[(36 - (sum % 36)) % 36]!;
}

/** True when a GSTIN already in canonical form matches the pattern and its check character. */
export function isGstinChecksumValid(gstin: string): boolean {
  return patterns.gstin.test(gstin) && computeGstinCheckChar(gstin.slice(0, 14)) === gstin[14];
}
