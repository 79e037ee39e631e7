// Cell values as they arrive from CSV (text) and XLSX (text, numbers, real dates), read into the record's
// types. A malformed value throws BadValue; the row reader turns it into a reject naming row and column.

import type { Cell } from '../../platform/tabular-rows.ts';

export type { Cell };

/** A value that cannot be read as the type its column needs; the message is the reject reason. */
export class BadValue extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BadValue';
  }
}

// Placeholders that mean "no value": text fields only drop dashes (a symbol may be spelt NA), numbers and
// dates also drop the spreadsheet and pandas spellings of nothing.
const EMPTY_TEXT = new Set(['', '-', '--']);
const EMPTY_MARKERS = new Set(['', '-', '--', 'NA', 'N/A', 'NULL', 'NONE', 'NAN', 'NAT']);

/** Quoted, cut to 40 characters, so a reject reason never carries a whole runaway cell. */
export function quoteValue(value: Cell): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Trimmed text with collapsed whitespace; null for empty cells and placeholders such as `-` and `NA`. */
export function readText(value: Cell): string | null {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  const text = String(value).replace(/\s+/g, ' ').trim();
  return EMPTY_TEXT.has(text) ? null : text;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
// Western (1,000,000) and Indian (10,00,000) digit grouping.
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{2,3})+(?:\.\d+)?$/;

/** A finite number, or null for an empty cell. Accepts digit grouping; rejects anything else. */
export function readNumber(value: Cell): number | null {
  if (value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BadValue(`not a finite number: ${quoteValue(value)}`);
    return value;
  }
  if (typeof value !== 'string') throw new BadValue(`not a number: ${quoteValue(value)}`);
  const text = value.trim();
  if (EMPTY_MARKERS.has(text.toUpperCase())) return null;
  let parsed = Number.NaN;
  if (PLAIN_NUMBER.test(text)) parsed = Number(text);
  else if (GROUPED_NUMBER.test(text)) parsed = Number(text.replaceAll(',', ''));
  if (!Number.isFinite(parsed)) throw new BadValue(`not a number: ${quoteValue(value)}`);
  return parsed;
}

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, SEPT: 9, OCT: 10, NOV: 11, DEC: 12,
  JANUARY: 1, FEBRUARY: 2, MARCH: 3, APRIL: 4, JUNE: 6, JULY: 7, AUGUST: 8, SEPTEMBER: 9, OCTOBER: 10,
  NOVEMBER: 11, DECEMBER: 12,
};

/** Month number (1-12) of an English month name or abbreviation, any case; undefined otherwise. */
export function readMonthName(word: string): number | undefined {
  return MONTHS[word.toUpperCase()];
}

const DAY_MS = 86_400_000;
const IST_OFFSET_MS = 330 * 60_000;
// Excel's 1900 date system counts days from 1899-12-30 (its phantom 1900-02-29 included).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** ISO `YYYY-MM-DD` for a calendar date, or undefined when the date does not exist (31-02-2024). */
export function formatIsoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function dateFromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$/;
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: [\d:.]+)?$/;
const DAY_MONTH_NAME = /^(\d{1,2})[-/ ]([A-Za-z]{3,9})[-/ ,]+(\d{4}|\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function readNumericDate(value: number, original: Cell): string {
  // Excel serials (1954-2119), then epoch seconds and milliseconds (Upstox) read as Indian dates.
  if (value >= 20_000 && value < 80_000) return dateFromMs(EXCEL_EPOCH_MS + Math.floor(value) * DAY_MS);
  if (value >= 1e9 && value < 1e11) return dateFromMs(value * 1000 + IST_OFFSET_MS);
  if (value >= 1e11 && value < 1e14) return dateFromMs(value + IST_OFFSET_MS);
  throw new BadValue(`not a date: ${quoteValue(original)}`);
}

function readTextDate(text: string, original: Cell): string {
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = ISO_DATE.exec(text)) || (m = COMPACT_DATE.exec(text))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = DAY_FIRST.exec(text))) {
    // Indian files write day first; 04-05-2024 is the 4th of May.
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = DAY_MONTH_NAME.exec(text))) {
    const yy = Number(m[3]);
    [day, month, year] = [Number(m[1]), readMonthName(m[2] ?? ''), m[3]?.length === 2 ? 2000 + yy : yy];
  } else if (/^\d+(?:\.\d+)?$/.test(text)) {
    return readNumericDate(Number(text), original);
  }
  const iso = year !== undefined && month !== undefined && day !== undefined ? formatIsoDate(year, month, day) : undefined;
  if (!iso) throw new BadValue(`not a date: ${quoteValue(original)}`);
  return iso;
}

/**
 * An ISO date (`YYYY-MM-DD`), or null for an empty cell. Reads real Excel date cells, Excel serial
 * numbers, epoch seconds/milliseconds, `YYYY-MM-DD[ time]`, `DD-MM-YYYY`, `DD/MM/YYYY`, `DD-MMM-YYYY`
 * and `YYYYMMDD`; rejects impossible dates such as 31-02-2024.
 */
export function readDate(value: Cell): string | null {
  if (value === null) return null;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new BadValue('not a date: invalid date cell');
    // exceljs turns serials into UTC instants and float error can land a hair before midnight.
    return dateFromMs(Math.round(ms / 1000) * 1000);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BadValue(`not a date: ${quoteValue(value)}`);
    return readNumericDate(value, value);
  }
  if (typeof value === 'boolean') throw new BadValue(`not a date: ${quoteValue(value)}`);
  const text = value.trim();
  if (EMPTY_MARKERS.has(text.toUpperCase())) return null;
  // A derivatives file repeats a few dozen expiry spellings a million times.
  let iso = recentDates.get(text);
  if (iso === undefined) {
    iso = readTextDate(text, value);
    if (recentDates.size >= 4096) recentDates.clear();
    recentDates.set(text, iso);
  }
  return iso;
}

const recentDates = new Map<string, string>();
