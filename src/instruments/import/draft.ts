// Every format reads its columns into a draft; one function turns drafts into records, so the rules
// (types, segments, series suffixes, derivative checks, aliases) are the same whatever the source.

import { isExchange, makeInstrumentId, normaliseSymbol, typeForIsin } from '../instrument.ts';
import type { Exchange, Instrument, InstrumentType, OptionType, Segment } from '../instrument.ts';
import { findIndexAliases } from '../index-aliases.ts';
import { looksLikeIsin } from '../text.ts';

/** What a format could read from one row, in the source's own vocabulary (types like OPTIDX, FUTSTK). */
export interface InstrumentDraft {
  symbol: string | null;
  exchange: string | null;
  /** Source type code: EQ, INDEX, ETF, FUT, FUTSTK, OPTIDX, CE, ...; null lets the row's other fields decide. */
  type: string | null;
  name?: string | null;
  underlying?: string | null;
  isin?: string | null;
  series?: string | null;
  expiry?: string | null;
  strike?: number | null;
  optionType?: string | null;
  lotSize?: number | null;
  tickSize?: number | null;
  sector?: string | null;
  industry?: string | null;
  token?: string | null;
  aliases?: readonly string[];
}

/** A row that cannot become a record: which field, which column, and why. */
export class RowRejection extends Error {
  readonly field: string;
  readonly column: string | null;
  constructor(field: string, reason: string, column: string | null = null) {
    super(reason);
    this.name = 'RowRejection';
    this.field = field;
    this.column = column;
  }
}

const EXCHANGE_SPELLINGS: Readonly<Record<string, Exchange>> = {
  NSE_EQ: 'NSE', NSE_INDEX: 'NSE', BSE_EQ: 'BSE', BSE_INDEX: 'BSE', NSE_FO: 'NFO', BSE_FO: 'BFO',
  NCD_FO: 'CDS', BCD_FO: 'BCD', MCX_FO: 'MCX', NSECD: 'CDS', NSEFO: 'NFO', BSEFO: 'BFO',
};

const TYPE_SPELLINGS: Readonly<Record<string, InstrumentType | 'OPTION'>> = {
  EQ: 'EQ', EQUITY: 'EQ', ES: 'EQ', STOCK: 'EQ', SHARE: 'EQ', ETF: 'ETF', INDEX: 'INDEX', INDICES: 'INDEX',
  IDX: 'INDEX', DEBT: 'DEBT', BOND: 'DEBT', GSEC: 'DEBT', SGB: 'DEBT', FUT: 'FUT', FUTSTK: 'FUT',
  FUTIDX: 'FUT', FUTCUR: 'FUT', FUTCOM: 'FUT', FUTIRC: 'FUT', FUTIRT: 'FUT', FUTURE: 'FUT', FUTURES: 'FUT',
  CE: 'CE', PE: 'PE', OPT: 'OPTION', OPTIDX: 'OPTION', OPTSTK: 'OPTION', OPTCUR: 'OPTION',
  OPTFUT: 'OPTION', OPTCOM: 'OPTION', OPTION: 'OPTION', OPTIONS: 'OPTION',
};

const OPTION_SPELLINGS: Readonly<Record<string, OptionType>> = { CE: 'CE', PE: 'PE', CALL: 'CE', PUT: 'PE', C: 'CE', P: 'PE' };

// NSE series of government securities, SDLs, gold bonds, T-bills, and the N*/Y* series of NCDs and bonds.
const NSE_DEBT_SERIES = /^(?:GS|GB|SG|TB|N[0-9A-Z]|Y[0-9A-Z])$/;
const BSE_DEBT_GROUPS = new Set(['F', 'G']);
const ETF_NAME = /\bETF\b|BEES$|IETF$/;

function readExchange(raw: string | null, type: InstrumentType): Exchange {
  if (!raw) throw new RowRejection('exchange', 'exchange missing');
  const upper = raw.trim().toUpperCase();
  const exchange = EXCHANGE_SPELLINGS[upper] ?? (isExchange(upper) ? upper : undefined);
  if (!exchange) throw new RowRejection('exchange', `unknown exchange ${JSON.stringify(raw.slice(0, 20))}`);
  const derivative = type === 'FUT' || type === 'CE' || type === 'PE';
  // The desk workbook and Dhan say NSE/BSE for F&O rows; the F&O venues are NFO/BFO.
  if (derivative && exchange === 'NSE') return 'NFO';
  if (derivative && exchange === 'BSE') return 'BFO';
  return exchange;
}

function readType(draft: InstrumentDraft): InstrumentType {
  const option = draft.optionType ? OPTION_SPELLINGS[draft.optionType.trim().toUpperCase()] : undefined;
  if (draft.type === null || draft.type.trim() === '') {
    if (option) return option;
    return draft.expiry ? 'FUT' : 'EQ';
  }
  const spelled = TYPE_SPELLINGS[draft.type.trim().toUpperCase()];
  if (!spelled) throw new RowRejection('instrumentType', `unknown instrument type ${JSON.stringify(draft.type.slice(0, 20))}`);
  if (spelled !== 'OPTION') return spelled;
  if (!option) throw new RowRejection('optionType', 'option without a CE/PE option type');
  return option;
}

function segmentOf(exchange: Exchange, type: InstrumentType): Segment {
  if (type === 'INDEX') return 'INDICES';
  if (exchange === 'CDS' || exchange === 'BCD') return 'CURRENCY';
  if (exchange === 'MCX' || exchange === 'NCDEX') return 'COMMODITY';
  if (exchange === 'NFO' || exchange === 'BFO') return 'FO';
  return 'CASH';
}

function refineCashType(type: InstrumentType, exchange: Exchange, symbol: string, name: string, series: string | null, isin: string | null): InstrumentType {
  if (type !== 'EQ') return type;
  if (series && exchange === 'NSE' && NSE_DEBT_SERIES.test(series)) return 'DEBT';
  if (series && exchange === 'BSE' && BSE_DEBT_GROUPS.has(series)) return 'DEBT';
  if (ETF_NAME.test(symbol) || ETF_NAME.test(name.toUpperCase())) return 'ETF';
  return typeForIsin(type, isin);
}

/** NSE trades non-EQ series under `SYMBOL-SERIES`; sources that split them are joined so all merge. */
function withSeriesSuffix(symbol: string, exchange: Exchange, type: InstrumentType, series: string | null): string {
  if (exchange !== 'NSE' || type === 'INDEX' || !series || series === 'EQ') return symbol;
  return symbol.endsWith(`-${series}`) ? symbol : `${symbol}-${series}`;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `NIFTY 25 APR 2024 22000 CE`: derivative names in sources are just the underlying, which says nothing. */
function describeDerivative(underlying: string, expiry: string, strike: number | null, type: InstrumentType): string {
  const [year, month, day] = expiry.split('-');
  const when = `${Number(day)} ${MONTH_NAMES[Number(month) - 1] ?? ''} ${year}`;
  return strike === null ? `${underlying} ${when} ${type}` : `${underlying} ${when} ${strike} ${type}`;
}

function cleanName(name: string | null | undefined): string {
  return (name ?? '').replace(/\s+/g, ' ').replace(/[\s,;]+$/, '').trim();
}

function underlyingFromSymbol(symbol: string): string | null {
  const lead = /^[A-Z&-]+?(?=\d{2}[A-Z0-9])/.exec(symbol);
  return lead ? lead[0] : null;
}

const NO_ISIN = new Set(['NA', 'N/A', 'NIL', 'NULL', 'NONE']);

function readIsin(raw: string | null | undefined): string | null {
  const isin = raw?.trim().toUpperCase() ?? '';
  if (isin === '' || NO_ISIN.has(isin)) return null;
  if (!looksLikeIsin(isin)) throw new RowRejection('isin', `not an ISIN: ${JSON.stringify(isin.slice(0, 20))}`);
  return isin;
}

function readLotSize(lot: number | null | undefined): number | null {
  if (lot === null || lot === undefined || lot === 0) return null;
  if (!Number.isInteger(lot) || lot < 0) throw new RowRejection('lotSize', `lot size must be a whole number ≥ 0, got ${lot}`);
  return lot;
}

function readTickSize(tick: number | null | undefined): number | null {
  if (tick === null || tick === undefined || tick === 0) return null;
  if (tick < 0) throw new RowRejection('tickSize', `tick size must be ≥ 0, got ${tick}`);
  return tick;
}

function readDerivativeFields(draft: InstrumentDraft, type: InstrumentType, symbol: string) {
  const derivative = type === 'FUT' || type === 'CE' || type === 'PE';
  if (!derivative) return { underlying: null, expiry: null, strike: null };
  if (!draft.expiry) throw new RowRejection('expiry', `${type} without an expiry date`);
  const underlyingText = draft.underlying ? normaliseSymbol(draft.underlying) : underlyingFromSymbol(symbol);
  if (!underlyingText) throw new RowRejection('underlying', `${type} without an underlying`);
  if (type === 'FUT') return { underlying: underlyingText, expiry: draft.expiry, strike: null };
  const strike = draft.strike;
  if (strike === null || strike === undefined || !(strike > 0)) {
    throw new RowRejection('strike', `option without a positive strike${strike === null || strike === undefined ? '' : `, got ${strike}`}`);
  }
  return { underlying: underlyingText, expiry: draft.expiry, strike };
}

/**
 * Turns a draft into a normalised {@link Instrument}, or throws {@link RowRejection} naming the field.
 * Guarantees: the id follows the (exchange, symbol) rule; derivatives have an expiry and an underlying,
 * options a positive strike and CE/PE; non-derivatives have no expiry, strike or option type; indices
 * carry their known aliases.
 */
export function finishInstrument(draft: InstrumentDraft): Instrument {
  const rawSymbol = draft.symbol ? normaliseSymbol(draft.symbol) : '';
  if (rawSymbol === '') throw new RowRejection('symbol', 'symbol missing');
  if (rawSymbol.length > 64 || /\p{Cc}/u.test(rawSymbol)) throw new RowRejection('symbol', 'symbol longer than 64 characters or with control characters');
  const baseType = readType(draft);
  const exchange = readExchange(draft.exchange, baseType);
  const series = draft.series ? draft.series.trim().toUpperCase() || null : null;
  const name = cleanName(draft.name);
  const isin = readIsin(draft.isin);
  const type = refineCashType(baseType, exchange, rawSymbol, name, series, isin);
  const symbol = withSeriesSuffix(rawSymbol, exchange, type, series);
  const { underlying, expiry, strike } = readDerivativeFields(draft, type, symbol);
  const aliases = new Set<string>();
  for (const alias of [...(draft.aliases ?? []), ...(type === 'INDEX' ? findIndexAliases(symbol) : [])]) {
    const folded = normaliseSymbol(alias);
    if (folded !== '' && folded !== symbol) aliases.add(folded);
  }
  const isDerivative = underlying !== null && expiry !== null;
  return {
    id: makeInstrumentId(exchange, symbol),
    symbol,
    name: isDerivative && (name === '' || normaliseSymbol(name) === underlying) ? describeDerivative(underlying, expiry, strike, type) : name || symbol,
    exchange,
    segment: segmentOf(exchange, type),
    instrumentType: type,
    underlying,
    isin,
    series,
    expiry,
    strike,
    optionType: type === 'CE' || type === 'PE' ? type : null,
    lotSize: readLotSize(draft.lotSize),
    tickSize: readTickSize(draft.tickSize),
    sector: cleanName(draft.sector) || null,
    industry: cleanName(draft.industry) || null,
    token: draft.token?.trim() || null,
    aliases: [...aliases],
  };
}
