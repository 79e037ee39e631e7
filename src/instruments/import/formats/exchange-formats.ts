// Lists the exchanges publish: NSE's EQUITY_L, NSE index constituents (Nifty 500 and friends), BSE's
// equity list.

import { RowRejection } from '../draft.ts';
import type { InstrumentDraft } from '../draft.ts';
import type { RowReader } from '../row-reader.ts';
import type { InstrumentFormat } from './format.ts';

/** NSE `EQUITY_L.csv` (headers after the first carry a leading space; normalisation trims them). */
export const nseEquityListFormat: InstrumentFormat = {
  name: 'nse-equity-list',
  title: 'NSE equity list (EQUITY_L)',
  required: ['symbol', 'name of company', 'series', 'isin number'],
  read(row: RowReader): InstrumentDraft {
    return {
      symbol: row.text('symbol'),
      exchange: 'NSE',
      type: 'EQ',
      name: row.text('name of company'),
      isin: row.text('isin number'),
      series: row.text('series'),
      lotSize: row.has('market lot') ? row.number('market lot', 'lotSize') : null,
    };
  },
};

/** NSE index constituent lists (`ind_nifty500list.csv` and the other `ind_*list.csv`). */
export const nseIndexListFormat: InstrumentFormat = {
  name: 'nse-index-constituents',
  title: 'NSE index constituents list',
  required: ['company name', 'industry', 'symbol', 'series', 'isin code'],
  read(row: RowReader): InstrumentDraft {
    return {
      symbol: row.text('symbol'),
      exchange: 'NSE',
      type: 'EQ',
      name: row.text('company name'),
      isin: row.text('isin code'),
      series: row.text('series'),
      industry: row.text('industry'),
    };
  },
};

/** BSE equity list (`Equity.csv`: trailing comma on every row, group codes padded with a space). */
export const bseEquityListFormat: InstrumentFormat = {
  name: 'bse-equity-list',
  title: 'BSE equity list',
  required: ['security code', 'security id', 'group', 'isin no'],
  read(row: RowReader): InstrumentDraft {
    const status = row.text('status');
    // Suspended and delisted scrips are not tradable; importing them would only pollute search.
    if (status !== null && status.toUpperCase() !== 'ACTIVE') {
      throw new RowRejection('status', `scrip status is ${JSON.stringify(status.slice(0, 20))}, not Active`, 'Status');
    }
    return {
      symbol: row.text('security id'),
      exchange: 'BSE',
      type: 'EQ',
      name: row.text('issuer name') ?? row.text('security name'),
      isin: row.text('isin no'),
      series: row.text('group'),
      sector: row.text('sector name'),
      industry: row.text('industry'),
      token: row.text('security code'),
    };
  },
};
