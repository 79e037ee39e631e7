// The dealing desk's stock-master.xlsx: one layout per sheet (NSE Cash, BSE Cash, NSE F&O), each with its
// own header, found below any title rows.

import type { InstrumentDraft } from '../draft.ts';
import type { RowReader } from '../row-reader.ts';
import type { InstrumentFormat } from './format.ts';

/** Sheet `NSE Cash`: equities, ETFs, debt series and indices. */
export const deskNseCashFormat: InstrumentFormat = {
  name: 'desk-nse-cash',
  title: 'desk workbook, NSE cash sheet',
  required: ['symbol', 'company name', 'series', 'instrument type'],
  read(row: RowReader): InstrumentDraft {
    return {
      symbol: row.text('symbol'),
      exchange: 'NSE',
      type: row.text('instrument type'),
      name: row.text('company name'),
      isin: row.text('isin'),
      series: row.text('series'),
      lotSize: row.number('lot size', 'lotSize'),
      tickSize: row.number('tick size', 'tickSize'),
      sector: row.text('sector'),
    };
  },
};

/** Sheet `BSE Cash`: scrip code, scrip id, group, sector and industry. */
export const deskBseCashFormat: InstrumentFormat = {
  name: 'desk-bse-cash',
  title: 'desk workbook, BSE cash sheet',
  required: ['scrip code', 'scrip id', 'company name', 'group', 'isin'],
  read(row: RowReader): InstrumentDraft {
    return {
      symbol: row.text('scrip id'),
      exchange: 'BSE',
      type: 'EQ',
      name: row.text('company name'),
      isin: row.text('isin'),
      series: row.text('group'),
      sector: row.text('sector'),
      industry: row.text('industry'),
      token: row.text('scrip code'),
    };
  },
};

/** Sheet `NSE F&O`: futures and options with real date cells for expiry and numeric strikes. */
export const deskNseFoFormat: InstrumentFormat = {
  name: 'desk-nse-fo',
  title: 'desk workbook, NSE F&O sheet',
  required: ['trading symbol', 'underlying', 'instrument', 'expiry', 'strike', 'option type'],
  read(row: RowReader): InstrumentDraft {
    return {
      symbol: row.text('trading symbol'),
      exchange: 'NFO',
      type: row.text('instrument'),
      underlying: row.text('underlying'),
      expiry: row.date('expiry', 'expiry'),
      strike: row.number('strike', 'strike'),
      optionType: row.text('option type'),
      lotSize: row.number('lot size', 'lotSize'),
      tickSize: row.number('tick size', 'tickSize'),
    };
  },
};
