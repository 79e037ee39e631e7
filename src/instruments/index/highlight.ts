// Spans to highlight in a result, computed for the returned page only (a few dozen instruments), so
// the index stores no offsets. The scan compares characters in place: no regular expressions and no
// substrings on the hot path.

import type { Instrument } from '../instrument.ts';
import type { SearchField, SearchMatch } from '../instrument-index.ts';

const NON_ASCII_WORD = /[\p{L}\p{M}\p{N}]/u;

/** What the query matched with: its words, its compact form, and the dictionary words typos resolved to. */
export interface HighlightTerms {
  readonly words: readonly string[];
  readonly compact: string;
  readonly typoWords: ReadonlySet<string>;
}

function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return NON_ASCII_WORD.test(text[i] as string);
}

// Whether `text` at `at` starts with the upper-case `word`, ignoring ASCII case.
function startsWithFolded(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let j = 0; j < word.length; j++) {
    let c = text.charCodeAt(at + j);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== word.charCodeAt(j)) return false;
  }
  return true;
}

// [start, end) of the first `count` word characters of `text`, or null when it has fewer.
function spanOfCompactPrefix(text: string, count: number): [number, number] | null {
  let seen = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (!isWordChar(text, i)) continue;
    if (start < 0) start = i;
    seen++;
    if (seen === count) return [start, i + 1];
  }
  return null;
}

function wordSpans(text: string, terms: HighlightTerms, field: SearchField, index: number | undefined, out: SearchMatch[]): void {
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text, i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && isWordChar(text, end)) end++;
    // Indexed loops and plain numbers: this runs for every word of every returned instrument.
    let spanEnd = -1;
    for (let w = 0; w < terms.words.length; w++) {
      const word = terms.words[w] as string;
      if (word.length <= end - i && startsWithFolded(text, i, word)) {
        spanEnd = i + word.length;
        break;
      }
    }
    if (spanEnd < 0 && terms.typoWords.size > 0 && terms.typoWords.has(text.slice(i, end).toUpperCase())) spanEnd = end;
    if (spanEnd >= 0) out.push(index === undefined ? { field, start: i, end: spanEnd } : { field, start: i, end: spanEnd, index });
    i = end;
  }
}

/** Highlight spans for one instrument; never throws, may be empty. */
export function findMatches(instrument: Instrument, compactSymbol: string, terms: HighlightTerms): SearchMatch[] {
  const out: SearchMatch[] = [];
  if (terms.compact.length > 0 && compactSymbol.startsWith(terms.compact)) {
    const span = spanOfCompactPrefix(instrument.symbol, terms.compact.length);
    if (span) out.push({ field: 'symbol', start: span[0], end: span[1] });
  } else {
    wordSpans(instrument.symbol, terms, 'symbol', undefined, out);
  }
  wordSpans(instrument.name, terms, 'name', undefined, out);
  if (instrument.underlying) wordSpans(instrument.underlying, terms, 'underlying', undefined, out);
  instrument.aliases.forEach((alias, i) => wordSpans(alias, terms, 'aliases', i, out));
  if (instrument.isin && terms.compact.length >= 5 && instrument.isin.startsWith(terms.compact)) {
    out.push({ field: 'isin', start: 0, end: terms.compact.length });
  }
  if (instrument.token !== null && instrument.token === terms.compact) out.push({ field: 'token', start: 0, end: instrument.token.length });
  return out;
}
