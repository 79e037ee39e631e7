// The in-process search engine: synchronous, pure, and allocation-light per query. The port adapter
// (memory-instrument-index.ts) wraps it; tests and benchmarks may use it directly.

import type { Instrument } from '../instrument.ts';
import type { InstrumentSearchQuery, SearchHit, SearchResult } from '../instrument-index.ts';
import { compactKey, isDigits, looksLikeIsin, splitWords } from '../text.ts';
import { findDerivatives, describeExpiries } from './derivative-lookup.ts';
import type { DerivativeMatch } from './derivative-lookup.ts';
import { findMatches } from './highlight.ts';
import type { HighlightTerms } from './highlight.ts';
import { addToState, buildState, deriveLookups, ISIN_TERM, removeFromState } from './index-state.ts';
import type { IndexState } from './index-state.ts';
import { parseDerivativePhrase } from './query-grammar.ts';
import { MATCH_EXACT, MATCH_PREFIX, MATCH_TEXT, MATCH_TYPO, rankKey, TopK } from './ranking.ts';
import { Scratch } from './scratch.ts';
import { compileFilters, FacetCounter, failedFilters } from './search-filters.ts';
import type { CompiledFilters } from './search-filters.ts';
import { postingOrd } from './sorted-postings.ts';
import { collectTextCandidates } from './text-candidates.ts';

export const MAX_QUERY_LENGTH = 256;
const MAX_WORDS = 8;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const MAX_OFFSET = 1000;
const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;

export interface SearchEngineOptions {
  /** Instrument ids shown first, in this order, for empty and one-character queries. */
  readonly pinned?: readonly string[];
}

function clampInteger(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : fallback;
}

function byExchange(instruments: Instrument[]): Instrument[] {
  const order = (i: Instrument) => (i.exchange === 'NSE' || i.exchange === 'NFO' ? 0 : i.exchange === 'BSE' || i.exchange === 'BFO' ? 1 : 2);
  return instruments.sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class InstrumentSearchEngine {
  private state: IndexState;
  private readonly pinned: readonly string[];
  private readonly scratch = new Scratch();
  private readonly facets = new FacetCounter();

  constructor(options: SearchEngineOptions = {}) {
    this.pinned = options.pinned ?? [];
    this.state = buildState([], this.pinned);
  }

  get size(): number {
    return this.state.docs.live;
  }

  /** Replaces the contents in one swap. */
  build(records: Iterable<Instrument>): void {
    this.state = buildState(records, this.pinned);
  }

  /**
   * Adds or replaces records by id. Each call also recomputes the underlying lookups and popularity
   * (about 30 ms on 45k instruments), so callers should batch; large batches rebuild outright
   * (cheaper than many sorted inserts), as does a quarter of the ords being dead.
   */
  upsert(records: Iterable<Instrument>): void {
    const batch = [...records];
    if (batch.length === 0) return;
    const { docs } = this.state;
    if (batch.length > Math.max(1000, docs.live / 20) || docs.dead + batch.length > Math.max(1000, docs.live / 4)) {
      this.state = buildState([...this.liveInstruments(), ...batch], this.pinned);
      return;
    }
    for (const record of batch) addToState(this.state, record);
    this.state.derived = deriveLookups(this.state, this.pinned);
  }

  /** Removes by id; returns how many were present. Compacts once a quarter of the ords are dead. */
  remove(ids: Iterable<string>): number {
    let removed = 0;
    for (const id of ids) if (removeFromState(this.state, id)) removed++;
    if (removed === 0) return 0;
    const { docs } = this.state;
    if (docs.dead > Math.max(1000, docs.live / 4)) this.state = buildState(this.liveInstruments(), this.pinned);
    else this.state.derived = deriveLookups(this.state, this.pinned);
    return removed;
  }

  get(id: string): Instrument | undefined {
    const ord = this.state.docs.byId.get(id);
    return ord === undefined ? undefined : (this.state.docs.instruments[ord] ?? undefined);
  }

  getByIsin(isin: string): Instrument[] {
    return this.lookup(this.state.docs.byIsin.get(String(isin).trim().toUpperCase()));
  }

  getByToken(token: string): Instrument[] {
    return this.lookup(this.state.docs.byToken.get(String(token).trim()));
  }

  /** Answers a query; never throws (an internal failure returns no items and a warning). */
  search(query: InstrumentSearchQuery, now: Date): SearchResult {
    const started = performance.now();
    let result: Omit<SearchResult, 'tookMicros'>;
    try {
      result = this.answer(query ?? { q: '' }, now);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result = { items: [], total: 0, facets: { exchange: {}, type: {}, segment: {} }, warnings: [`search failed: ${reason}`] };
    }
    return { ...result, tookMicros: Math.round((performance.now() - started) * 1000) };
  }

  private answer(query: InstrumentSearchQuery, now: Date): Omit<SearchResult, 'tookMicros'> {
    const raw = typeof query.q === 'string' ? query.q : query.q === undefined || query.q === null ? '' : String(query.q);
    const text = raw.slice(0, MAX_QUERY_LENGTH).normalize('NFKC').trim();
    const filters = compileFilters(query);
    const limit = clampInteger(query.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    const offset = clampInteger(query.offset, 0, MAX_OFFSET, 0);
    const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
    if (!Number.isFinite(nowMs)) filters.warnings.push('invalid clock: expiries ranked from 1970-01-01');
    const today = Number.isFinite(nowMs) ? Math.floor((nowMs + IST_OFFSET_MS) / DAY_MS) : 0;
    const compact = compactKey(text);
    if (compact.length <= 1) return this.answerPopular(compact, filters, limit, offset);

    const scratch = this.scratch;
    scratch.begin(this.state.docs.length);
    const phrase = parseDerivativePhrase(text);
    const derivatives = phrase ? findDerivatives(this.state, phrase) : null;
    let terms: HighlightTerms;
    if (derivatives) {
      // The phrase's contracts rank as symbol-prefix matches, so a contract typed in full still comes first.
      for (const ord of derivatives.ords) scratch.accept(ord, MATCH_PREFIX);
      this.acceptExactSymbol(compact);
      const underlying = derivatives.ords.length > 0 ? this.state.docs.instruments[derivatives.ords[0] as number]?.underlying : null;
      terms = { words: splitWords(underlying ?? ''), compact: derivatives.underlying, typoWords: new Set() };
    } else {
      this.acceptSymbolMatches(compact);
      const words = splitWords(text).slice(0, MAX_WORDS);
      const typoWords = collectTextCandidates(this.state, scratch, words);
      terms = { words, compact, typoWords };
    }
    return { ...this.rank(filters, limit, offset, today, terms), ...(derivatives ? { derivative: describeDerivative(derivatives) } : {}) };
  }

  private acceptExactSymbol(compact: string): void {
    const { symbols, docs } = this.state;
    const at = symbols.find(compact);
    for (const posting of at >= 0 ? (symbols.lists[at] as number[]) : []) {
      const ord = postingOrd(posting);
      if (docs.instruments[ord] != null) this.scratch.accept(ord, MATCH_EXACT);
    }
  }

  // Exact symbol or alias (class 0), symbol or alias prefix (class 1), exact ISIN (class 0), exchange
  // token (class 0, or 2 when symbols begin with its digits).
  private acceptSymbolMatches(compact: string): void {
    const { symbols, terms, docs } = this.state;
    const [from, to] = symbols.prefixRange(compact);
    for (let i = from; i < to; i++) {
      const matchClass = symbols.keys[i] === compact ? MATCH_EXACT : MATCH_PREFIX;
      for (const posting of symbols.lists[i] as number[]) {
        const ord = postingOrd(posting);
        if (docs.instruments[ord] != null) this.scratch.accept(ord, matchClass);
      }
    }
    if (looksLikeIsin(compact)) {
      const at = terms.find(ISIN_TERM + compact);
      for (const posting of at >= 0 ? (terms.lists[at] as number[]) : []) {
        const ord = postingOrd(posting);
        if (docs.instruments[ord] != null) this.scratch.accept(ord, MATCH_EXACT);
      }
    }
    // Digits alone may be an exchange token or BSE scrip code (`2885`, `500325`): one map lookup. A strike
    // never stands alone (it follows an underlying), so no F&O phrase is lost to this reading. Thousands
    // of symbols begin with digits (state loans: 667MH31-SG); where some begin with these, they were
    // being typed too and keep the lead, and the token's instruments come next, ahead of name matches.
    if (isDigits(compact)) {
      const tokenClass = from === to ? MATCH_EXACT : MATCH_TEXT;
      for (const ord of docs.byToken.get(compact) ?? []) this.scratch.accept(ord, tokenClass);
    }
  }

  private rank(filters: CompiledFilters, limit: number, offset: number, today: number, terms: HighlightTerms) {
    const { docs } = this.state;
    const scratch = this.scratch;
    const facets = this.facets.reset();
    const { keys } = scratch;
    const top = new TopK(docs, keys, offset + limit);
    let total = 0;
    const { candidates, cls, total: costs } = scratch;
    // The hot loop of every query: typed arrays held in locals, facet counting inlined.
    const { exchange, type, segment, typeClass, exchangeRank, expiryDay, nameWords } = docs;
    const { exchange: byExchange, type: byType, segment: bySegment } = facets;
    for (let c = 0; c < scratch.count; c++) {
      const ord = candidates[c] as number;
      const e = exchange[ord] as number;
      const t = type[ord] as number;
      const s = segment[ord] as number;
      if (filters.none) {
        byExchange[e] = (byExchange[e] as number) + 1;
        byType[t] = (byType[t] as number) + 1;
        bySegment[s] = (bySegment[s] as number) + 1;
      } else {
        const failed = failedFilters(docs, ord, filters);
        facets.count(docs, ord, failed);
        if (failed !== 0) continue;
      }
      total++;
      const matchClass = cls[ord] as number;
      const head = matchClass * 16 + (typeClass[ord] as number) * 4 + (exchangeRank[ord] as number);
      const cost = matchClass >= MATCH_TEXT ? (costs[ord] as number) * 16 + (nameWords[ord] as number) : 0;
      const key = rankKey(head, expiryDay[ord] as number, cost, today);
      keys[ord] = key;
      if (top.mayTake(key)) top.offer(ord);
    }
    const items: SearchHit[] = top
      .drain()
      .slice(offset)
      .map((ord) => {
        const instrument = docs.instruments[ord] as Instrument;
        const score = (MATCH_TYPO - (cls[ord] as number)) * 1000 + Math.max(0, 999 - (scratch.total[ord] as number));
        return { instrument, score, matched: findMatches(instrument, docs.compactSymbol[ord] as string, terms) };
      });
    return { items, total, facets: facets.toRecords(), warnings: filters.warnings };
  }

  private answerPopular(compact: string, filters: CompiledFilters, limit: number, offset: number): Omit<SearchResult, 'tookMicros'> {
    const { docs, derived } = this.state;
    const list = compact === '' ? derived.popular.overall : (derived.popular.byFirstCharacter.get(compact) ?? []);
    const facets = this.facets.reset();
    const passing: number[] = [];
    for (const ord of list) {
      if (docs.instruments[ord] == null) continue;
      const failed = failedFilters(docs, ord, filters);
      facets.count(docs, ord, failed);
      if (failed === 0) passing.push(ord);
    }
    const terms: HighlightTerms = { words: compact === '' ? [] : [compact], compact, typoWords: new Set() };
    const items = passing.slice(offset, offset + limit).map((ord) => {
      const instrument = docs.instruments[ord] as Instrument;
      return { instrument, score: 0, matched: compact === '' ? [] : findMatches(instrument, docs.compactSymbol[ord] as string, terms) };
    });
    return { items, total: passing.length, facets: facets.toRecords(), warnings: filters.warnings };
  }

  private lookup(ords: readonly number[] | undefined): Instrument[] {
    const found = (ords ?? []).map((ord) => this.state.docs.instruments[ord]).filter((i): i is Instrument => i != null);
    return byExchange(found);
  }

  private *liveInstruments(): Iterable<Instrument> {
    for (const instrument of this.state.docs.instruments) if (instrument) yield instrument;
  }
}

function describeDerivative(match: DerivativeMatch) {
  return { underlying: match.underlying, strike: match.strike, types: [...match.types], expiry: describeExpiries(match.expiries) };
}
