// Per-instrument attributes the ranking and filters read, as parallel typed arrays indexed by a doc
// number (an "ord"), so a query touches numbers, not objects. A replaced or removed instrument leaves a
// dead ord behind; structures that hold ords skip dead ones until the next compaction.

import { exactInstrument, EXCHANGES, INSTRUMENT_TYPES, SEGMENTS } from '../instrument.ts';
import type { Instrument } from '../instrument.ts';
import { compactKey, splitWords } from '../text.ts';

export const NO_EXPIRY = -1;
const DAY_MS = 86_400_000;

const EXCHANGE_CODE = new Map<string, number>(EXCHANGES.map((exchange, i) => [exchange, i]));
const TYPE_CODE = new Map<string, number>(INSTRUMENT_TYPES.map((type, i) => [type, i]));
const SEGMENT_CODE = new Map<string, number>(SEGMENTS.map((segment, i) => [segment, i]));

// NSE-family venues before BSE-family before commodities, by exchange code.
const EXCHANGE_RANK = EXCHANGES.map((exchange) => ({ NSE: 0, NFO: 0, CDS: 0, BSE: 1, BFO: 1, BCD: 1, MCX: 2, NCDEX: 3 })[exchange]);
// Cash and indices, then cash debt, then futures, then options, by type code.
const TYPE_CLASS = INSTRUMENT_TYPES.map((type) => ({ EQ: 0, ETF: 0, INDEX: 0, DEBT: 1, FUT: 2, CE: 3, PE: 3 })[type]);

export function exchangeCode(exchange: string): number | undefined {
  return EXCHANGE_CODE.get(exchange);
}
export function typeCode(type: string): number | undefined {
  return TYPE_CODE.get(type);
}
export function segmentCode(segment: string): number | undefined {
  return SEGMENT_CODE.get(segment);
}

/** Days since 1970-01-01 of an ISO date, or NO_EXPIRY. */
export function toDayNumber(iso: string | null): number {
  if (!iso) return NO_EXPIRY;
  const ms = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : NO_EXPIRY;
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2, 1024));
  bigger.set(array);
  return bigger;
}

export class DocTable {
  instruments: Array<Instrument | null> = [];
  compactSymbol: string[] = [];
  /** Compact symbol followed by compact aliases: the names an instrument is known by. */
  compactNames: string[][] = [];
  compactName: string[] = [];
  compactUnderlying: Array<string | null> = [];
  sectorKey: Array<string | null> = [];
  exchange = new Uint8Array(0);
  exchangeRank = new Uint8Array(0);
  type = new Uint8Array(0);
  typeClass = new Uint8Array(0);
  segment = new Uint8Array(0);
  expiryDay = new Int32Array(0);
  /** yyyymmdd of the expiry, for matching month and day phrases; 0 without expiry. */
  expiryYmd = new Int32Array(0);
  strike = new Float64Array(0);
  /** Words in the name (at most 15): of two text matches otherwise equal, the query covers more of the shorter name. */
  nameWords = new Uint8Array(0);
  /** Popularity rank (lower first); a tie-breaker after the ranking rules. */
  popularity = new Int32Array(0);
  readonly byId = new Map<string, number>();
  readonly byIsin = new Map<string, number[]>();
  readonly byToken = new Map<string, number[]>();
  live = 0;
  dead = 0;

  get length(): number {
    return this.instruments.length;
  }

  /**
   * Appends an instrument as a new ord; a previous version under the same id becomes dead. The record
   * is held with exactly the Instrument fields (see exactInstrument): the search route writes hits with
   * JSON.stringify, which would write any other property too.
   */
  add(record: Instrument): number {
    const instrument = exactInstrument(record);
    const previous = this.byId.get(instrument.id);
    if (previous !== undefined) this.kill(previous);
    const ord = this.instruments.length;
    this.ensureCapacity(ord + 1);
    this.instruments.push(instrument);
    const symbol = compactKey(instrument.symbol);
    this.compactSymbol.push(symbol);
    this.compactNames.push([symbol, ...instrument.aliases.map(compactKey)]);
    this.compactName.push(compactKey(instrument.name));
    this.compactUnderlying.push(instrument.underlying === null ? null : compactKey(instrument.underlying));
    this.sectorKey.push(instrument.sector ? compactKey(instrument.sector) : null);
    const exchange = EXCHANGE_CODE.get(instrument.exchange) ?? 0;
    const type = TYPE_CODE.get(instrument.instrumentType) ?? 0;
    this.exchange[ord] = exchange;
    this.exchangeRank[ord] = EXCHANGE_RANK[exchange] ?? 3;
    this.type[ord] = type;
    this.typeClass[ord] = TYPE_CLASS[type] ?? 3;
    this.segment[ord] = SEGMENT_CODE.get(instrument.segment) ?? 0;
    const day = toDayNumber(instrument.expiry);
    this.expiryDay[ord] = day;
    this.expiryYmd[ord] = day === NO_EXPIRY ? 0 : Number(instrument.expiry?.slice(0, 10).replaceAll('-', ''));
    this.strike[ord] = instrument.strike ?? Number.NaN;
    this.nameWords[ord] = Math.min(15, splitWords(instrument.name).length);
    this.popularity[ord] = 0x7fffffff;
    this.byId.set(instrument.id, ord);
    if (instrument.isin) pushTo(this.byIsin, instrument.isin, ord);
    if (instrument.token) pushTo(this.byToken, instrument.token, ord);
    this.live++;
    return ord;
  }

  /** Marks an ord dead; returns false when it already was. */
  kill(ord: number): boolean {
    const instrument = this.instruments[ord];
    if (!instrument) return false;
    this.instruments[ord] = null;
    if (this.byId.get(instrument.id) === ord) this.byId.delete(instrument.id);
    if (instrument.isin) pullFrom(this.byIsin, instrument.isin, ord);
    if (instrument.token) pullFrom(this.byToken, instrument.token, ord);
    this.live--;
    this.dead++;
    return true;
  }

  isLive(ord: number): boolean {
    return this.instruments[ord] != null;
  }

  private ensureCapacity(size: number): void {
    if (this.exchange.length >= size) return;
    this.exchange = grow(this.exchange, size);
    this.exchangeRank = grow(this.exchangeRank, size);
    this.type = grow(this.type, size);
    this.typeClass = grow(this.typeClass, size);
    this.segment = grow(this.segment, size);
    this.expiryDay = grow(this.expiryDay, size);
    this.expiryYmd = grow(this.expiryYmd, size);
    this.strike = grow(this.strike, size);
    this.nameWords = grow(this.nameWords, size);
    this.popularity = grow(this.popularity, size);
  }
}

function pushTo(map: Map<string, number[]>, key: string, ord: number): void {
  const list = map.get(key);
  if (list) list.push(ord);
  else map.set(key, [ord]);
}

function pullFrom(map: Map<string, number[]>, key: string, ord: number): void {
  const list = map.get(key);
  if (!list) return;
  const at = list.indexOf(ord);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}
