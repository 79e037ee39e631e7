// The one normalised instrument record every importer produces and every index, table and API uses.

/** Venues Pravah knows: cash (NSE, BSE), equity derivatives (NFO, BFO), currency (CDS, BCD), commodities. */
export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NCDEX'] as const;
export type Exchange = (typeof EXCHANGES)[number];

/**
 * EQ: shares, REITs/InvITs and other equity-like units; ETF: exchange-traded funds and other listed
 * mutual-fund units (an ISIN starting INF, whatever type the source gave); INDEX: an index (not
 * tradable itself); DEBT: G-secs, SDLs, SGBs, NCDs and T-bills traded in the cash market; FUT, CE, PE:
 * derivatives.
 */
export const INSTRUMENT_TYPES = ['EQ', 'ETF', 'INDEX', 'DEBT', 'FUT', 'CE', 'PE'] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

export const SEGMENTS = ['CASH', 'INDICES', 'FO', 'CURRENCY', 'COMMODITY'] as const;
export type Segment = (typeof SEGMENTS)[number];

export type OptionType = 'CE' | 'PE';

/**
 * One instrument. Identity is (exchange, symbol): `id` is always `${exchange}:${symbol}` with the symbol
 * normalised by {@link normaliseSymbol}. NSE cash symbols of a series other than EQ carry the series as a
 * suffix (`RELINFRA-BE`), the way brokers trade them, so every source of the same listing merges.
 */
export interface Instrument {
  readonly id: string;
  readonly symbol: string;
  readonly name: string;
  readonly exchange: Exchange;
  readonly segment: Segment;
  readonly instrumentType: InstrumentType;
  /** For derivatives, the underlying's symbol (`NIFTY`, `RELIANCE`); null otherwise. */
  readonly underlying: string | null;
  readonly isin: string | null;
  /** NSE series (EQ, BE, SM, ...) or BSE group (A, B, XT, ...). */
  readonly series: string | null;
  /** ISO date `YYYY-MM-DD` (the exchange's local date), derivatives only. */
  readonly expiry: string | null;
  readonly strike: number | null;
  readonly optionType: OptionType | null;
  readonly lotSize: number | null;
  /** In rupees (sources that publish paise are converted). */
  readonly tickSize: number | null;
  readonly sector: string | null;
  readonly industry: string | null;
  /** The exchange's numeric token or scrip code (`2885`, `500325`) as text; not unique across exchanges. */
  readonly token: string | null;
  /** Other names traders type for it: `NIFTY` for `NIFTY 50`, `BANKNIFTY` for `NIFTY BANK`. */
  readonly aliases: readonly string[];
}

/** The fields of an {@link Instrument}, in the order every record and the API schema have them. */
export const INSTRUMENT_FIELDS = [
  'id', 'symbol', 'name', 'exchange', 'segment', 'instrumentType', 'underlying', 'isin', 'series', 'expiry', 'strike',
  'optionType', 'lotSize', 'tickSize', 'sector', 'industry', 'token', 'aliases',
] as const satisfies ReadonlyArray<keyof Instrument>;

/**
 * `record` itself when it has exactly the Instrument fields in their order (what the importers and the
 * store produce), else a copy with only those. Whatever holds the copy then serialises as the API
 * documents it, with nothing a caller's object carried besides.
 */
export function exactInstrument(record: Instrument): Instrument {
  const keys = Object.keys(record);
  if (keys.length === INSTRUMENT_FIELDS.length && INSTRUMENT_FIELDS.every((field, i) => keys[i] === field)) return record;
  const copy: Record<string, unknown> = {};
  for (const field of INSTRUMENT_FIELDS) copy[field] = record[field];
  return copy as unknown as Instrument;
}

const SPACES = /\s+/g;

/** Upper-cases, NFKC-folds and collapses whitespace; the canonical spelling used in ids. */
export function normaliseSymbol(symbol: string): string {
  return symbol.normalize('NFKC').replace(SPACES, ' ').trim().toUpperCase();
}

/** The stable id of an instrument: `${exchange}:${normalised symbol}`, e.g. `NSE:RELIANCE`, `NFO:NIFTY24APR22000CE`. */
export function makeInstrumentId(exchange: Exchange, symbol: string): string {
  return `${exchange}:${normaliseSymbol(symbol)}`;
}

/** True for the values of {@link EXCHANGES}. */
export function isExchange(value: string): value is Exchange {
  return (EXCHANGES as readonly string[]).includes(value);
}

// An Indian ISIN's third letter names the issuer's kind: E a company, F a mutual fund. Exchanges list
// fund units (ETFs, and closed-end and segregated schemes) among equities with the type EQ.
const FUND_ISIN = /^INF/;

/**
 * `type`, except that an EQ whose ISIN is a mutual fund's (INF…) is an ETF. Applied wherever a type
 * and an ISIN meet (a row, a merge of two versions, the store's merge in SQL), so the answer does not
 * depend on which source came last.
 */
export function typeForIsin(type: InstrumentType, isin: string | null): InstrumentType {
  return type === 'EQ' && isin !== null && FUND_ISIN.test(isin) ? 'ETF' : type;
}

/** True for FUT, CE and PE. */
export function isDerivativeType(type: InstrumentType): boolean {
  return type === 'FUT' || type === 'CE' || type === 'PE';
}

/**
 * Combines two versions of the same instrument (same id): fields the newer version knows win, fields it
 * leaves null keep the older value, aliases are united. Used for duplicate rows and re-imports from a
 * source that knows less (the Nifty 500 list adds industry to a Kite record without erasing its token).
 */
export function mergeInstruments(older: Instrument, newer: Instrument): Instrument {
  const aliases = [...new Set([...older.aliases, ...newer.aliases])];
  const isin = newer.isin ?? older.isin;
  return {
    id: newer.id,
    symbol: newer.symbol,
    name: newer.name || older.name,
    exchange: newer.exchange,
    segment: newer.segment,
    instrumentType: typeForIsin(newer.instrumentType, isin),
    underlying: newer.underlying ?? older.underlying,
    isin,
    series: newer.series ?? older.series,
    expiry: newer.expiry ?? older.expiry,
    strike: newer.strike ?? older.strike,
    optionType: newer.optionType ?? older.optionType,
    lotSize: newer.lotSize ?? older.lotSize,
    tickSize: newer.tickSize ?? older.tickSize,
    sector: newer.sector ?? older.sector,
    industry: newer.industry ?? older.industry,
    token: newer.token ?? older.token,
    aliases,
  };
}
