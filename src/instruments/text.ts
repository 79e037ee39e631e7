// Text folding shared by the importers and the index, so a symbol typed in a query folds exactly like the
// symbol stored from a file.

const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Upper-case letters and digits only (`ARE&M` → `AREM`, `NIFTY 50` → `NIFTY50`, `bajaj-auto` →
 * `BAJAJAUTO`). Devanagari and other scripts are kept, marks included (removing them would corrupt words).
 */
export function compactKey(text: string): string {
  return text.normalize('NFKC').replace(NOT_WORD, '').toUpperCase();
}

/** The words of a text, upper-cased, in order (`Reliance Industries Ltd.` → RELIANCE, INDUSTRIES, LTD). */
export function splitWords(text: string): string[] {
  const words = text.normalize('NFKC').toUpperCase().match(WORD);
  return words ?? [];
}

/** Positions of the words of a text, for highlighting: [start, end) offsets into `text` itself. */
export function locateWords(text: string): Array<{ word: string; start: number; end: number }> {
  const found: Array<{ word: string; start: number; end: number }> = [];
  for (const match of text.matchAll(WORD)) {
    found.push({ word: match[0].toUpperCase(), start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** True when every character is an ASCII digit (numbers are never fuzzed). */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;

/** The shape of an ISIN (two letters, nine alphanumerics, a check digit); the check digit is not verified. */
export function looksLikeIsin(text: string): boolean {
  return ISIN.test(text);
}
