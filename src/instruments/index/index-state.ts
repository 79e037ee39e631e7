// Everything the search reads, built in one pass from the records and kept current by small writes. A
// full build creates a new state and swaps it in, so searches never see a half-built index.

import type { Instrument } from '../instrument.ts';
import { listUnderlyingAliases } from '../index-aliases.ts';
import { compactKey, splitWords } from '../text.ts';
import { DocTable } from './doc-table.ts';
import { computePopularity } from './popularity.ts';
import type { PopularLists } from './popularity.ts';
import { FIELD, packPosting, postingFields, postingOrd, SortedPostings } from './sorted-postings.ts';

/** ISIN terms live under this first character, outside every prefix range a word query can reach. */
export const ISIN_TERM = '\u0001';

/** Terms of one doc with their field bits, for checking the second and later words of a query. */
export interface ForwardEntry {
  readonly keys: readonly string[];
  readonly fields: readonly number[];
}

export interface IndexState {
  readonly docs: DocTable;
  /** Words of symbols, aliases, names and underlyings, compact forms, and ISINs (under ISIN_TERM). */
  readonly terms: SortedPostings;
  /** Compact symbols and aliases, for exact-symbol and symbol-prefix matches. */
  readonly symbols: SortedPostings;
  readonly forward: Array<ForwardEntry | null>;
  derived: DerivedLookups;
}

/** Lookups recomputed after each write (linear in the number of instruments). */
export interface DerivedLookups {
  /** Compact underlying → live derivative ords. */
  readonly underlyings: ReadonlyMap<string, readonly number[]>;
  readonly underlyingKeys: readonly string[];
  /** Compact index name, alias or company name → compact underlying (`NIFTYBANK` → `BANKNIFTY`). */
  readonly underlyingNames: ReadonlyMap<string, string>;
  readonly popular: PopularLists;
}

function addTerm(terms: Map<string, number>, term: string, field: number): void {
  if (term === '') return;
  terms.set(term, (terms.get(term) ?? 0) | field);
}

function addWords(terms: Map<string, number>, text: string, field: number): void {
  const words = splitWords(text);
  for (const word of words) addTerm(terms, word, field);
  // `NIFTY 50` is also typed `nifty50`, `PB FINTECH` as `pbfintech`.
  if (words.length > 1) {
    const compact = words.join('');
    if (compact.length <= 30) addTerm(terms, compact, field);
  }
}

/** The terms of an instrument with their field bits. Derivatives are found through their underlying. */
export function extractTerms(instrument: Instrument): Map<string, number> {
  const terms = new Map<string, number>();
  if (instrument.underlying !== null) {
    addWords(terms, instrument.underlying, FIELD.underlying);
    addTerm(terms, compactKey(instrument.underlying), FIELD.underlying);
    return terms;
  }
  addWords(terms, instrument.symbol, FIELD.symbol);
  addTerm(terms, compactKey(instrument.symbol), FIELD.symbol);
  for (const alias of instrument.aliases) {
    addWords(terms, alias, FIELD.alias);
    addTerm(terms, compactKey(alias), FIELD.alias);
  }
  addWords(terms, instrument.name, FIELD.name);
  if (instrument.isin) addTerm(terms, ISIN_TERM + instrument.isin, FIELD.isin);
  return terms;
}

function symbolKeysOf(instrument: Instrument): Map<string, number> {
  const keys = new Map<string, number>();
  addTerm(keys, compactKey(instrument.symbol), FIELD.symbol);
  for (const alias of instrument.aliases) addTerm(keys, compactKey(alias), FIELD.alias);
  return keys;
}

function toForward(terms: Map<string, number>): ForwardEntry {
  return { keys: [...terms.keys()], fields: [...terms.values()] };
}

/** Builds a fresh state; for a repeated id the last record wins. */
export function buildState(records: Iterable<Instrument>, pinned: readonly string[]): IndexState {
  const latest = new Map<string, Instrument>();
  for (const record of records) latest.set(record.id, record);
  const docs = new DocTable();
  const termMap = new Map<string, number[]>();
  const symbolMap = new Map<string, number[]>();
  const forward: Array<ForwardEntry | null> = [];
  const push = (map: Map<string, number[]>, key: string, posting: number) => {
    const list = map.get(key);
    if (list) list.push(posting);
    else map.set(key, [posting]);
  };
  for (const instrument of latest.values()) {
    const ord = docs.add(instrument);
    const terms = extractTerms(instrument);
    for (const [term, fields] of terms) push(termMap, term, packPosting(ord, fields));
    for (const [key, fields] of symbolKeysOf(instrument)) push(symbolMap, key, packPosting(ord, fields));
    forward[ord] = toForward(terms);
  }
  const state: IndexState = {
    docs,
    terms: SortedPostings.fromMap(termMap),
    symbols: SortedPostings.fromMap(symbolMap),
    forward,
    derived: emptyDerived(),
  };
  state.derived = deriveLookups(state, pinned);
  return state;
}

/** Adds or replaces one instrument in place; call deriveLookups after a batch. */
export function addToState(state: IndexState, instrument: Instrument): void {
  const ord = state.docs.add(instrument);
  const terms = extractTerms(instrument);
  for (const [term, fields] of terms) state.terms.add(term, packPosting(ord, fields));
  for (const [key, fields] of symbolKeysOf(instrument)) state.symbols.add(key, packPosting(ord, fields));
  state.forward[ord] = toForward(terms);
}

/** Removes by id; returns whether it was there. Its postings stay until compaction but are skipped. */
export function removeFromState(state: IndexState, id: string): boolean {
  const ord = state.docs.byId.get(id);
  if (ord === undefined) return false;
  state.docs.kill(ord);
  state.forward[ord] = null;
  return true;
}

function emptyDerived(): DerivedLookups {
  return { underlyings: new Map(), underlyingKeys: [], underlyingNames: new Map(), popular: { overall: [], byFirstCharacter: new Map() } };
}

/** Recomputes the underlying lookups and popularity from the live docs. */
export function deriveLookups(state: IndexState, pinned: readonly string[]): DerivedLookups {
  const { docs } = state;
  const underlyings = new Map<string, number[]>();
  for (let ord = 0; ord < docs.length; ord++) {
    const key = docs.compactUnderlying[ord];
    if (key == null || docs.instruments[ord] == null) continue;
    const list = underlyings.get(key);
    if (list) list.push(ord);
    else underlyings.set(key, [ord]);
  }
  const underlyingNames = new Map<string, string>();
  const standIns = new Map<string, number>();
  for (const [name, underlying] of listUnderlyingAliases()) {
    if (underlyings.has(compactKey(underlying))) underlyingNames.set(name, compactKey(underlying));
  }
  for (let ord = 0; ord < docs.length; ord++) {
    if (docs.instruments[ord] == null || docs.compactUnderlying[ord] != null) continue;
    const names = docs.compactNames[ord] ?? [];
    const target = names.find((name) => underlyings.has(name));
    if (target === undefined) continue;
    for (const name of [...names, docs.compactName[ord] ?? '']) {
      if (!underlyings.has(name) && !underlyingNames.has(name)) underlyingNames.set(name, target);
    }
    const current = standIns.get(target);
    if (current === undefined || (docs.exchangeRank[ord] as number) < (docs.exchangeRank[current] as number)) standIns.set(target, ord);
  }
  // Symbol order for tie-breaks comes free from the sorted symbol dictionary: no string sort needed.
  const alphabetical = new Int32Array(docs.length);
  state.symbols.lists.forEach((list, position) => {
    for (const posting of list) if ((postingFields(posting) & FIELD.symbol) !== 0) alphabetical[postingOrd(posting)] = position;
  });
  const popular = computePopularity(docs, (key) => underlyings.get(key)?.length ?? 0, (key) => standIns.get(key), alphabetical, pinned);
  return { underlyings, underlyingKeys: [...underlyings.keys()].sort(), underlyingNames, popular };
}
