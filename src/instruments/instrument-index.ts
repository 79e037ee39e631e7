// The InstrumentIndex port: what instrument search promises, whichever engine answers (the in-process
// index today, Elasticsearch/OpenSearch later). Feature code receives an InstrumentIndex; only the
// composition root builds one.

import type { Instrument } from './instrument.ts';

/** A search request. Filter values are case-insensitive; several values of one filter are alternatives. */
export interface InstrumentSearchQuery {
  /**
   * Free text: symbol, name, ISIN, alias, exchange token or BSE scrip code (digits alone: `2885`,
   * `500325`) or F&O phrase (`nifty 22000 ce`, `banknifty sep fut`).
   */
  readonly q: string;
  readonly exchange?: string | readonly string[];
  readonly segment?: string | readonly string[];
  /** Instrument types (EQ, ETF, INDEX, DEBT, FUT, CE, PE; OPT means CE and PE). */
  readonly type?: string | readonly string[];
  /** Inclusive ISO dates; instruments without an expiry never pass an expiry filter. */
  readonly expiryFrom?: string;
  readonly expiryTo?: string;
  readonly sector?: string | readonly string[];
  /** Page size, 1-100 (default 20). */
  readonly limit?: number;
  /** Items to skip, 0-1000 (default 0). */
  readonly offset?: number;
}

export type SearchField = 'symbol' | 'name' | 'underlying' | 'isin' | 'aliases' | 'token';

/** A highlighted span: [start, end) in `instrument[field]` (for aliases, in `aliases[index]`). */
export interface SearchMatch {
  readonly field: SearchField;
  readonly start: number;
  readonly end: number;
  readonly index?: number;
}

export interface SearchHit {
  readonly instrument: Instrument;
  /** Match strength for display (higher is stronger); the order is set by the ranking rules. */
  readonly score: number;
  readonly matched: readonly SearchMatch[];
}

/** Counts per value over every match. Each facet ignores its own filter, so the other chips stay visible. */
export interface SearchFacets {
  readonly exchange: Readonly<Record<string, number>>;
  readonly type: Readonly<Record<string, number>>;
  readonly segment: Readonly<Record<string, number>>;
}

export interface SearchResult {
  readonly items: readonly SearchHit[];
  /** Matches passing all filters (for empty and one-character queries: within the popular list). */
  readonly total: number;
  readonly facets: SearchFacets;
  readonly tookMicros: number;
  /** Filter values that were not understood (they match nothing), and similar notes. */
  readonly warnings: readonly string[];
  /** How an F&O phrase was read, when it was (`{ underlying: 'NIFTY', strike: 22000, types: ['CE'] }`). */
  readonly derivative?: { readonly underlying: string; readonly strike: number | null; readonly types: readonly string[]; readonly expiry: string | null };
}

/**
 * Instrument search. Guarantees:
 * - `search` never throws for any query text or filter values; unknown filter values match nothing and
 *   are named in `warnings`; text beyond 256 characters is ignored.
 * - Ranking: exact symbol, alias or ISIN first, then symbol prefix; then cash and indices before futures
 *   before options; NSE before BSE; nearest unexpired expiry first (relative to `now`, Indian date;
 *   expired contracts last); then text score (symbol over name, exact over prefix over typo; then the
 *   name the query covers more of). Text matches that needed a typo rank after every match as typed.
 * - Digits alone that are an exchange token or BSE scrip code (`2885`, `500325`) find its instruments
 *   as exact matches; where symbols begin with those digits (`667MH31-SG`), those keep the lead and the
 *   token's instruments follow them, before name matches.
 * - Typos: a word that matches nothing as typed is matched within one edit (letter wrong, missing, extra
 *   or two letters swapped) if it has 5+ letters, two edits if 8+; the first letter may be wrong only
 *   in a swap with the second. A query of one such word that finds fewer than 32 instruments as typed
 *   also matches words one edit away (same first letter): `medio` finds MEDIORG, then MEDICO. Words of
 *   4 letters or fewer and words with digits are never fuzzed.
 * - F&O phrases are read before text (`nifty 22000 ce`, `reliance 2900 pe 26 dec`); a number right after
 *   a month is part of the date when contracts expire then, else the strike (`idea jun 12 ce`).
 * - Empty and one-character queries answer from a precomputed popular list, not a scan.
 * - Writes (`build`, `upsert`, `remove`) are visible to every search that starts after they resolve;
 *   a search never sees half of a write. `upsert` replaces the record stored under the same id.
 */
export interface InstrumentIndex {
  /** Replaces the whole contents. */
  build(records: Iterable<Instrument> | AsyncIterable<Instrument>): Promise<void>;
  upsert(records: Iterable<Instrument>): Promise<void>;
  /** Removes by id; returns how many were present. */
  remove(ids: Iterable<string>): Promise<number>;
  search(query: InstrumentSearchQuery, now: Date): Promise<SearchResult>;
  get(id: string): Promise<Instrument | undefined>;
  /** Every listing of an ISIN (NSE before BSE). */
  getByIsin(isin: string): Promise<readonly Instrument[]>;
  /** Every instrument with that exchange token (tokens repeat across exchanges; NSE first). */
  getByToken(token: string): Promise<readonly Instrument[]>;
  /** Instruments held, as of the last completed write. */
  readonly size: number;
}
