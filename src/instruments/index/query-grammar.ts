// F&O phrases, read before any text search: `nifty 25000 ce`, `banknifty sep fut`, `reliance 2900 pe
// 26 dec`, `nifty 24 apr 22000 pe`, `NIFTY24APR22000CE`. The grammar only finds the parts; whether the
// words name a real underlying is for the index to decide.

import { formatIsoDate, readMonthName } from '../import/values.ts';

/** One reading of the expiry words; every part given must match. */
export interface ExpiryPattern {
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
}

/** One way to read the phrase: the underlying's words, the strike, and the expiry alternatives. */
export interface DerivativeReading {
  readonly underlying: string;
  readonly strike: number | null;
  /** Alternatives (`24 apr` is 24 April or April 2024); empty when no expiry was given. */
  readonly expiries: readonly ExpiryPattern[];
}

export interface DerivativePhrase {
  /**
   * Readings in order of preference: the first that names existing contracts is meant. They differ in
   * where the underlying's name ends (`nifty 50 ce`) and in whether a number right after a month is part
   * of the date or the strike (`idea jun 12 ce`).
   */
  readonly readings: readonly DerivativeReading[];
  /** Empty: any of FUT, CE, PE. */
  readonly types: ReadonlyArray<'FUT' | 'CE' | 'PE'>;
}

type Token =
  | { kind: 'word' | 'option' | 'future' | 'month' | 'number'; text: string; value: number }
  | { kind: 'date'; text: string; value: number; pattern: ExpiryPattern };

/** How the expiry words were read, and which number tokens that reading takes from the phrase. */
interface ExpiryReading {
  readonly expiries: readonly ExpiryPattern[];
  readonly uses: readonly Token[];
}

const OPTION_WORDS: Readonly<Record<string, 'CE' | 'PE'>> = { CE: 'CE', PE: 'PE', CALL: 'CE', CALLS: 'CE', PUT: 'PE', PUTS: 'PE' };
const FUTURE_WORDS = new Set(['FUT', 'FUTS', 'FUTURE', 'FUTURES', 'FUTIDX', 'FUTSTK']);
const FILLER_WORDS = new Set(['WEEKLY', 'MONTHLY', 'EXPIRY', 'STRIKE', 'OPTION', 'OPTIONS', 'OPT']);
const NUMERIC_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b/g;
const DIGIT_GROUPING = /(\d),(?=\d{2,3}\b)/g;
const DATE_MARK = '\uE000';
const TOKEN = /\uE000\d+|\d+(?:\.\d+)?|[\p{L}\p{M}]+|&/gu;
/** A leap year, so that 29 February counts as a day when the year is not given. */
const ANY_YEAR = 2024;
const NO_EXPIRY: ExpiryReading = { expiries: [], uses: [] };

function tokenize(text: string): Token[] {
  const dates: ExpiryPattern[] = [];
  // Explicit dates first, so their digits are not read as strikes.
  const marked = text.replace(DIGIT_GROUPING, '$1').replace(NUMERIC_DATE, (_all, y1, m1, d1, d2, m2, y2) => {
    const [year, month, day] = y1 ? [Number(y1), Number(m1), Number(d1)] : [Number(y2), Number(m2), Number(d2)];
    if (!formatIsoDate(year, month, day)) return ' ';
    dates.push({ year, month, day });
    return ` ${DATE_MARK}${dates.length - 1} `;
  });
  const tokens: Token[] = [];
  for (const match of marked.toUpperCase().matchAll(TOKEN)) {
    const word = match[0];
    const month = readMonthName(word);
    if (word.startsWith(DATE_MARK)) {
      const pattern = dates[Number(word.slice(1))];
      if (pattern) tokens.push({ kind: 'date', text: word, value: 0, pattern });
    } else if (/^\d/.test(word)) tokens.push({ kind: 'number', text: word, value: Number(word) });
    else if (OPTION_WORDS[word]) tokens.push({ kind: 'option', text: word, value: 0 });
    else if (FUTURE_WORDS.has(word)) tokens.push({ kind: 'future', text: word, value: 0 });
    else if (month) tokens.push({ kind: 'month', text: word, value: month });
    else if (!FILLER_WORDS.has(word)) tokens.push({ kind: 'word', text: word, value: 0 });
  }
  return tokens;
}

function dayOrYear(token: Token | undefined): number | null {
  if (token?.kind !== 'number' || !/^\d{1,2}$/.test(token.text)) return null;
  return token.value;
}

function fullYear(token: Token | undefined): number | null {
  if (token?.kind !== 'number' || !/^\d{4}$/.test(token.text)) return null;
  return token.value >= 2000 && token.value < 2100 ? token.value : null;
}

function isDayOf(month: number, day: number, year = ANY_YEAR): boolean {
  return formatIsoDate(year, month, day) !== undefined;
}

// The numbers around a month say day, year, or (for a lone two-digit number) either; a number that
// cannot be a day of the month (`feb 30`, `may 90`) is only read as a year.
function readMonthNumbers(month: number, before: Token | undefined, after: Token | undefined): ExpiryReading {
  const day = dayOrYear(before);
  const yearAfter = fullYear(after) ?? (dayOrYear(after) !== null && day !== null ? 2000 + (dayOrYear(after) as number) : null);
  if (yearAfter !== null && day !== null && isDayOf(month, day, yearAfter)) {
    return { expiries: [{ day, month, year: yearAfter }], uses: [before as Token, after as Token] };
  }
  if (yearAfter !== null) return { expiries: [{ month, year: yearAfter }], uses: [after as Token] };
  const yearBefore = fullYear(before);
  if (yearBefore !== null) return { expiries: [{ month, year: yearBefore }], uses: [before as Token] };
  const lone = day ?? dayOrYear(after);
  if (lone === null) return { expiries: [{ month }], uses: [] };
  const asYear = { month, year: 2000 + lone };
  return { expiries: isDayOf(month, lone) ? [{ month, day: lone }, asYear] : [asYear], uses: [(day !== null ? before : after) as Token] };
}

// A number right after the month is read into the date first and, failing that, left for the strike
// (`idea jun 12 ce` is 12 June, or strike 12 in June: the index knows which contracts exist).
function readMonthPhrase(tokens: readonly Token[], at: number): ExpiryReading[] {
  const month = (tokens[at] as Token).value;
  const after = tokens[at + 1];
  const asDate = readMonthNumbers(month, tokens[at - 1], after);
  if (after === undefined || !asDate.uses.includes(after)) return [asDate];
  return [asDate, readMonthNumbers(month, tokens[at - 1], undefined)];
}

// Where the underlying's words end and which number is the strike, for one reading of the expiry.
function readUnderlyings(tokens: readonly Token[], words: readonly string[], expiry: ExpiryReading, typed: boolean): DerivativeReading[] {
  const numbers = tokens.filter((token) => token.kind === 'number' && !expiry.uses.includes(token));
  if (numbers.length > 2) return [];
  const qualified = typed || expiry.expiries.length > 0;
  const readings: DerivativeReading[] = [];
  const next = tokens[tokens.findLastIndex((token) => token.kind === 'word') + 1];
  // `nifty 50 ce`: the number may belong to the name (NIFTY 50), with the strike after it, if any.
  if (next !== undefined && next === numbers[0]) {
    const strike = numbers[1]?.value ?? null;
    if (qualified || strike !== null) readings.push({ underlying: `${words.join(' ')} ${next.text}`, strike, expiries: expiry.expiries });
  }
  if (numbers.length <= 1) {
    const strike = numbers[0]?.value ?? null;
    if (qualified || strike !== null) readings.push({ underlying: words.join(' '), strike, expiries: expiry.expiries });
  }
  return readings;
}

/**
 * Reads an F&O phrase, or returns null when the text is not one: it needs words (the underlying) and at
 * least one of an option type, FUT, a strike or an expiry; two months, two dates or three loose numbers
 * are not a phrase.
 */
export function parseDerivativePhrase(text: string): DerivativePhrase | null {
  const tokens = tokenize(text);
  const types = new Set<'FUT' | 'CE' | 'PE'>();
  let expiryReadings: readonly ExpiryReading[] = [NO_EXPIRY];
  let expiryParts = 0;
  tokens.forEach((token, at) => {
    if (token.kind === 'option') types.add(OPTION_WORDS[token.text] as 'CE' | 'PE');
    else if (token.kind === 'future') types.add('FUT');
    else if (token.kind === 'date') {
      expiryReadings = [{ expiries: [token.pattern], uses: [] }];
      expiryParts++;
    } else if (token.kind === 'month') {
      expiryReadings = readMonthPhrase(tokens, at);
      expiryParts++;
    }
  });
  if (expiryParts > 1) return null;
  const words = tokens.filter((token) => token.kind === 'word').map((token) => token.text);
  if (words.length === 0) return null;
  const readings = expiryReadings.flatMap((expiry) => readUnderlyings(tokens, words, expiry, types.size > 0));
  return readings.length > 0 ? { readings, types: [...types] } : null;
}

/** True when a yyyymmdd expiry matches one of the patterns (or there are none). */
export function matchesExpiry(ymd: number, patterns: readonly ExpiryPattern[]): boolean {
  if (patterns.length === 0) return true;
  const year = Math.floor(ymd / 10_000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  // An indexed loop, not `some`: this runs for every contract of an underlying and should allocate nothing.
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i] as ExpiryPattern;
    if ((p.year === undefined || p.year === year) && (p.month === undefined || p.month === month) && (p.day === undefined || p.day === day)) return true;
  }
  return false;
}
