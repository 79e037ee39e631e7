// Filters compiled once per query into bit masks over the doc table's codes, so checking a candidate is
// a few integer tests. Values that mean nothing match nothing and come back as warnings.

import { EXCHANGES, INSTRUMENT_TYPES, SEGMENTS } from '../instrument.ts';
import type { InstrumentSearchQuery } from '../instrument-index.ts';
import { compactKey } from '../text.ts';
import { exchangeCode, segmentCode, toDayNumber, typeCode } from './doc-table.ts';
import type { DocTable } from './doc-table.ts';
import { NO_EXPIRY } from './doc-table.ts';

const TYPE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  OPT: ['CE', 'PE'], OPTION: ['CE', 'PE'], OPTIONS: ['CE', 'PE'], CALL: ['CE'], PUT: ['PE'], FUTURE: ['FUT'],
  FUTURES: ['FUT'], EQUITY: ['EQ'], STOCK: ['EQ'], INDICES: ['INDEX'], BOND: ['DEBT'],
};
const SEGMENT_SYNONYMS: Readonly<Record<string, string>> = {
  'F&O': 'FO', FNO: 'FO', DERIVATIVES: 'FO', CD: 'CURRENCY', COM: 'COMMODITY', INDEX: 'INDICES', EQ: 'CASH',
};

export interface CompiledFilters {
  /** Bit i set: exchange code i allowed; all bits when no filter. */
  readonly exchanges: number;
  readonly types: number;
  readonly segments: number;
  readonly expiryFrom: number;
  readonly expiryTo: number;
  readonly sectors: ReadonlySet<string> | null;
  /** True when no filter was given: every candidate passes. */
  readonly none: boolean;
  readonly warnings: string[];
}

export const FACET_EXCHANGE = 1;
export const FACET_TYPE = 2;
export const FACET_SEGMENT = 4;
const OTHER_FILTERS = 8;

const ALL = 0xffff;

const NO_VALUES: readonly string[] = [];

function listValues(value: unknown): readonly string[] {
  // Most queries set no filter: answer without building arrays.
  if (value === undefined || value === null) return NO_VALUES;
  const raw = Array.isArray(value) ? value : [value];
  return raw
    .flatMap((entry) => String(entry).slice(0, 200).split(','))
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => entry !== '')
    .slice(0, 20);
}

function compileMask(values: readonly string[], label: string, known: readonly string[], toCodes: (value: string) => number[], warnings: string[]): number {
  if (values.length === 0) return ALL;
  let mask = 0;
  for (const value of values) {
    const codes = toCodes(value);
    if (codes.length === 0) warnings.push(`unknown ${label} ${JSON.stringify(value)} (known: ${known.join(', ')})`);
    for (const code of codes) mask |= 1 << code;
  }
  return mask;
}

function compileDay(value: unknown, label: string, fallback: number, warnings: string[]): number {
  if (value === undefined || value === null || value === '') return fallback;
  const text = String(value).slice(0, 40);
  const day = /^\d{4}-\d{2}-\d{2}/.test(text) ? toDayNumber(text) : NO_EXPIRY;
  if (day === NO_EXPIRY) {
    warnings.push(`${label} ${JSON.stringify(text)} is not a date (YYYY-MM-DD)`);
    // An unreadable bound matches nothing rather than everything.
    return label === 'expiryFrom' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  }
  return day;
}

/** Compiles the filters of a query; never throws, whatever the values' types. */
export function compileFilters(query: InstrumentSearchQuery): CompiledFilters {
  const warnings: string[] = [];
  const exchanges = compileMask(listValues(query.exchange), 'exchange', EXCHANGES, (v) => {
    const code = exchangeCode(v);
    return code === undefined ? [] : [code];
  }, warnings);
  const types = compileMask(listValues(query.type), 'type', INSTRUMENT_TYPES, (v) =>
    (TYPE_SYNONYMS[v] ?? [v]).map(typeCode).filter((code): code is number => code !== undefined), warnings);
  const segments = compileMask(listValues(query.segment), 'segment', SEGMENTS, (v) => {
    const code = segmentCode(SEGMENT_SYNONYMS[v] ?? v);
    return code === undefined ? [] : [code];
  }, warnings);
  const sectorValues = listValues(query.sector).map(compactKey);
  const expiryFrom = compileDay(query.expiryFrom, 'expiryFrom', Number.MIN_SAFE_INTEGER, warnings);
  const expiryTo = compileDay(query.expiryTo, 'expiryTo', Number.MAX_SAFE_INTEGER, warnings);
  const none = exchanges === ALL && types === ALL && segments === ALL && sectorValues.length === 0 &&
    expiryFrom === Number.MIN_SAFE_INTEGER && expiryTo === Number.MAX_SAFE_INTEGER;
  return { exchanges, types, segments, expiryFrom, expiryTo, sectors: sectorValues.length > 0 ? new Set(sectorValues) : null, none, warnings };
}

/**
 * Which filters an ord fails, as FACET_* bits (0: passes all). A facet counts an ord that fails at most
 * its own filter, so exchange chips keep their counts while an exchange is selected.
 */
export function failedFilters(docs: DocTable, ord: number, filters: CompiledFilters): number {
  let failed = 0;
  if (((filters.exchanges >> (docs.exchange[ord] as number)) & 1) === 0) failed |= FACET_EXCHANGE;
  if (((filters.types >> (docs.type[ord] as number)) & 1) === 0) failed |= FACET_TYPE;
  if (((filters.segments >> (docs.segment[ord] as number)) & 1) === 0) failed |= FACET_SEGMENT;
  const hasExpiryFilter = filters.expiryFrom !== Number.MIN_SAFE_INTEGER || filters.expiryTo !== Number.MAX_SAFE_INTEGER;
  if (hasExpiryFilter) {
    const day = docs.expiryDay[ord] as number;
    if (day === NO_EXPIRY || day < filters.expiryFrom || day > filters.expiryTo) failed |= OTHER_FILTERS;
  }
  if (filters.sectors) {
    const sector = docs.sectorKey[ord];
    if (!sector || !filters.sectors.has(sector)) failed |= OTHER_FILTERS;
  }
  return failed;
}

/** Counts per facet value, filled while candidates are checked; `reset` makes it reusable across queries. */
export class FacetCounter {
  readonly exchange = new Int32Array(EXCHANGES.length);
  readonly type = new Int32Array(INSTRUMENT_TYPES.length);
  readonly segment = new Int32Array(SEGMENTS.length);

  reset(): this {
    this.exchange.fill(0);
    this.type.fill(0);
    this.segment.fill(0);
    return this;
  }

  count(docs: DocTable, ord: number, failed: number): void {
    if ((failed & ~FACET_EXCHANGE) === 0) increment(this.exchange, docs.exchange[ord] as number);
    if ((failed & ~FACET_TYPE) === 0) increment(this.type, docs.type[ord] as number);
    if ((failed & ~FACET_SEGMENT) === 0) increment(this.segment, docs.segment[ord] as number);
  }

  toRecords(): { exchange: Record<string, number>; type: Record<string, number>; segment: Record<string, number> } {
    const toRecord = (names: readonly string[], counts: Int32Array) => {
      const record: Record<string, number> = {};
      names.forEach((name, i) => {
        const n = counts[i] as number;
        if (n > 0) record[name] = n;
      });
      return record;
    };
    return { exchange: toRecord(EXCHANGES, this.exchange), type: toRecord(INSTRUMENT_TYPES, this.type), segment: toRecord(SEGMENTS, this.segment) };
  }
}

function increment(counts: Int32Array, at: number): void {
  counts[at] = (counts[at] ?? 0) + 1;
}
