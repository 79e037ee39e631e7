// Broker instrument dumps: Zerodha Kite, Upstox and Dhan's scrip master.

import { normaliseSymbol } from '../../instrument.ts';
import type { InstrumentDraft } from '../draft.ts';
import type { RowReader } from '../row-reader.ts';
import { paiseToRupees } from './format.ts';
import type { InstrumentFormat } from './format.ts';

// Kite writes NSE series other than EQ as a suffix: RELINFRA-BE, 76MH30-SG.
const KITE_SERIES_SUFFIX = /-([A-Z0-9]{2})$/;

/** Kite Connect `instruments` CSV (pandas dumps add an unnamed index column first; it is ignored). */
export const kiteFormat: InstrumentFormat = {
  name: 'kite',
  title: 'Kite instrument dump',
  required: ['instrument_token', 'exchange_token', 'tradingsymbol', 'name', 'expiry', 'strike', 'tick_size', 'lot_size', 'instrument_type', 'segment', 'exchange'],
  read(row: RowReader): InstrumentDraft {
    const symbol = row.text('tradingsymbol');
    const exchange = row.text('exchange');
    const segment = row.text('segment')?.toUpperCase() ?? null;
    const type = segment === 'INDICES' ? 'INDEX' : row.text('instrument_type');
    const name = row.text('name');
    const derivative = type === 'FUT' || type === 'CE' || type === 'PE';
    const suffix = symbol ? KITE_SERIES_SUFFIX.exec(normaliseSymbol(symbol)) : null;
    const series = exchange === 'NSE' && type === 'EQ' ? (suffix?.[1] ?? 'EQ') : null;
    return {
      symbol,
      exchange,
      type,
      name,
      underlying: derivative ? name : null,
      series,
      expiry: row.date('expiry', 'expiry'),
      strike: derivative ? row.number('strike', 'strike') : null,
      optionType: type === 'CE' || type === 'PE' ? type : null,
      lotSize: row.number('lot_size', 'lotSize'),
      tickSize: row.number('tick_size', 'tickSize'),
      token: row.text('exchange_token'),
    };
  },
};

/** Upstox instrument CSV (`NSE_EQ|INE...` instrument keys, tick size in paise). */
export const upstoxFormat: InstrumentFormat = {
  name: 'upstox',
  title: 'Upstox instrument list',
  required: ['instrument_key', 'exchange', 'segment', 'instrument_type', 'name'],
  read(row: RowReader): InstrumentDraft {
    const segment = row.text('segment')?.toUpperCase() ?? null;
    const rawType = row.text('instrument_type');
    const type = segment?.endsWith('_INDEX') ? 'INDEX' : rawType;
    const derivative = type === 'FUT' || type === 'CE' || type === 'PE';
    return {
      symbol: row.text('trading_symbol') ?? row.text('tradingsymbol') ?? row.text('symbol'),
      exchange: segment ?? row.text('exchange'),
      type,
      name: row.text('name'),
      underlying: derivative ? (row.text('underlying_symbol') ?? row.text('asset_symbol')) : null,
      isin: row.text('isin'),
      expiry: row.date('expiry', 'expiry'),
      strike: derivative ? row.number('strike_price', 'strike') : null,
      optionType: type === 'CE' || type === 'PE' ? type : null,
      lotSize: row.number('lot_size', 'lotSize'),
      tickSize: paiseToRupees(row.number('tick_size', 'tickSize')),
      token: row.text('exchange_token'),
    };
  },
};

// Dhan's SEM_SEGMENT letters: E equity, I index, D equity derivatives, C currency, M commodity.
function dhanExchange(exchange: string | null, segment: string | null): string | null {
  if (segment === 'C') return exchange === 'BSE' ? 'BCD' : 'CDS';
  if (segment === 'M') return exchange === 'NSE' || exchange === 'BSE' ? exchange : (exchange ?? 'MCX');
  return exchange;
}

/** Dhan `api-scrip-master.csv` (`SEM_*` columns; tick size in paise; expiry `YYYY-MM-DD HH:MM:SS`). */
export const dhanFormat: InstrumentFormat = {
  name: 'dhan',
  title: 'Dhan scrip master',
  required: ['sem_exm_exch_id', 'sem_segment', 'sem_smst_security_id', 'sem_instrument_name', 'sem_trading_symbol'],
  read(row: RowReader): InstrumentDraft {
    const segment = row.text('sem_segment')?.toUpperCase() ?? null;
    const instrument = row.text('sem_instrument_name')?.toUpperCase() ?? null;
    const symbol = row.text('sem_trading_symbol');
    const optionType = row.text('sem_option_type');
    const derivative = segment === 'D' || segment === 'C' || segment === 'M';
    const custom = row.text('sem_custom_symbol');
    const listedName = row.text('sm_symbol_name');
    return {
      symbol,
      exchange: dhanExchange(row.text('sem_exm_exch_id')?.toUpperCase() ?? null, segment),
      type: segment === 'I' ? 'INDEX' : instrument,
      name: derivative ? (custom ?? listedName) : (listedName ?? custom),
      // Derivative trading symbols read UNDERLYING-Mon2024-STRIKE-CE.
      underlying: derivative && symbol ? (symbol.split('-')[0] ?? null) : null,
      series: derivative ? null : row.text('sem_series'),
      expiry: derivative ? row.date('sem_expiry_date', 'expiry') : null,
      strike: derivative ? row.number('sem_strike_price', 'strike') : null,
      optionType: optionType === 'CE' || optionType === 'PE' ? optionType : null,
      lotSize: row.number('sem_lot_units', 'lotSize'),
      tickSize: paiseToRupees(row.number('sem_tick_size', 'tickSize')),
      token: row.text('sem_smst_security_id'),
    };
  },
};
