// The importers against the real public files, byte for byte as published.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectInstruments, importInstruments } from '../../src/instruments/import/import-instruments.ts';
import { hasSharedData, NO_SHARED_DATA, sharedFile } from './shared-data.ts';

async function importFile(name: string) {
  return collectInstruments(importInstruments({ path: sharedFile(name) }));
}

test('Kite NSE dump: pandas index column ignored, indices typed INDEX with F&O aliases, series from suffixes', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const { instruments, rejects, stats } = await importFile('kite_instruments_nse_2026-01.csv');
  assert.equal(stats.sheets[0]?.format, 'kite');
  assert.equal(stats.rows, 8725);
  assert.equal(instruments.length, 8725);
  assert.deepEqual(rejects, []);
  const byId = new Map(instruments.map((i) => [i.id, i]));
  assert.deepEqual(byId.get('NSE:NIFTY 50')?.aliases, ['NIFTY']);
  assert.deepEqual(byId.get('NSE:NIFTY BANK')?.aliases, ['BANKNIFTY']);
  assert.deepEqual(byId.get('NSE:NIFTY FIN SERVICE')?.aliases, ['FINNIFTY']);
  assert.equal(instruments.filter((i) => i.instrumentType === 'INDEX').length, 135);
  assert.equal(byId.get('NSE:NIFTY 50')?.segment, 'INDICES');
  const reliance = byId.get('NSE:RELIANCE');
  assert.equal(reliance?.token, '2885');
  assert.equal(reliance?.tickSize, 0.1);
  assert.equal(reliance?.series, 'EQ');
  assert.equal(byId.get('NSE:RELINFRA-BE')?.series, 'BE');
  assert.equal(byId.get('NSE:76MH30-SG')?.instrumentType, 'DEBT');
  assert.equal(byId.get('NSE:NIFTYBEES')?.instrumentType, 'ETF');
});

test('Kite NFO dump: dd-mm-yyyy expiries, numeric strikes, futures and options on NIFTY', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const { instruments, rejects, stats } = await importFile('kite_instruments_nfo_subset_2024-04.csv');
  assert.equal(stats.rows, 31373);
  assert.deepEqual(rejects, []);
  const count = (type: string) => instruments.filter((i) => i.instrumentType === type).length;
  assert.equal(count('PE'), 15261);
  assert.equal(count('CE'), 15191);
  assert.equal(count('FUT'), 558);
  const option = instruments.find((i) => i.id === 'NFO:NIFTY24APR22000CE');
  assert.deepEqual(
    { expiry: option?.expiry, strike: option?.strike, optionType: option?.optionType, underlying: option?.underlying, lotSize: option?.lotSize, segment: option?.segment },
    { expiry: '2024-04-25', strike: 22000, optionType: 'CE', underlying: 'NIFTY', lotSize: 50, segment: 'FO' },
  );
  assert.equal(option?.name, 'NIFTY 25 APR 2024 22000 CE');
  const weekly = instruments.find((i) => i.id === 'NFO:NIFTY2440422000PE');
  assert.equal(weekly?.expiry, '2024-04-04');
  assert.equal(instruments.find((i) => i.id === 'NFO:BANKNIFTY24APRFUT')?.expiry, '2024-04-24');
  assert.equal(instruments.find((i) => i.id === 'BSE:AARTIIND')?.exchange, 'BSE');
});

test('BSE equity list: trailing empty column, group codes trimmed, placeholder ISIN kept out', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const { instruments, rejects, stats } = await importFile('bse_Equity_2024-01.csv');
  assert.equal(stats.sheets[0]?.format, 'bse-equity-list');
  assert.equal(stats.rows, 4456);
  assert.deepEqual(rejects, []);
  const reliance = instruments.find((i) => i.id === 'BSE:RELIANCE');
  assert.equal(reliance?.isin, 'INE002A01018');
  assert.equal(reliance?.token, '500325');
  assert.equal(reliance?.series, 'A');
  assert.equal(reliance?.sector, 'Energy');
  assert.ok(instruments.every((i) => i.series === null || i.series === i.series.trim()));
  assert.equal(instruments.find((i) => i.symbol === 'ASFLORA')?.isin, null);
});

test('NSE EQUITY_L: headers with leading spaces, non-EQ series become SYMBOL-SERIES', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const { instruments, rejects, stats } = await importFile('nse_EQUITY_L_2025-12.csv');
  assert.equal(stats.sheets[0]?.format, 'nse-equity-list');
  assert.equal(instruments.length, 2219);
  assert.deepEqual(rejects, []);
  const reliance = instruments.find((i) => i.id === 'NSE:RELIANCE');
  assert.equal(reliance?.isin, 'INE002A01018');
  assert.equal(reliance?.name, 'Reliance Industries Limited');
  assert.equal(instruments.filter((i) => i.series === 'BE').every((i) => i.symbol.endsWith('-BE')), true);
});

test('Nifty 500 list and Upstox: industry, ISIN, and tick sizes converted from paise', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const nifty500 = await importFile('nse_ind_nifty500list_2025-09.csv');
  assert.equal(nifty500.stats.sheets[0]?.format, 'nse-index-constituents');
  assert.equal(nifty500.instruments.length, 501);
  assert.equal(nifty500.instruments.find((i) => i.id === 'NSE:RELIANCE')?.industry, 'Oil Gas & Consumable Fuels');
  const upstox = await importFile('upstox_nse_eq_2026-04.csv');
  assert.equal(upstox.stats.sheets[0]?.format, 'upstox');
  assert.equal(upstox.instruments.length, 2405);
  const reliance = upstox.instruments.find((i) => i.id === 'NSE:RELIANCE');
  assert.equal(reliance?.tickSize, 0.1);
  assert.equal(reliance?.isin, 'INE002A01018');
  assert.equal(upstox.instruments.find((i) => i.id === 'NSE:MARUTI')?.tickSize, 1);
});

test('desk workbook: three sheets, title rows above the header, real date cells for expiry', async (t) => {
  if (!hasSharedData) return t.skip(NO_SHARED_DATA);
  const { instruments, rejects, stats } = await importFile('stock-master.xlsx');
  assert.equal(stats.kind, 'xlsx');
  assert.deepEqual(
    stats.sheets.map((s) => [s.sheet, s.format, s.headerRow, s.rows]),
    [
      ['NSE Cash', 'desk-nse-cash', 3, 8725],
      ['BSE Cash', 'desk-bse-cash', 1, 4456],
      ['NSE F&O', 'desk-nse-fo', 1, 6819],
    ],
  );
  assert.equal(stats.rows, 20000);
  assert.deepEqual(rejects, []);
  assert.equal(stats.duplicates, 0);
  const byId = new Map(instruments.map((i) => [i.id, i]));
  assert.equal(byId.get('NSE:RELIANCE')?.isin, 'INE002A01018');
  assert.equal(byId.get('NSE:NIFTY 50')?.instrumentType, 'INDEX');
  const future = byId.get('NFO:AARTIIND24APRFUT');
  assert.deepEqual([future?.instrumentType, future?.expiry, future?.underlying, future?.lotSize], ['FUT', '2024-04-25', 'AARTIIND', 1000]);
  const option = byId.get('NFO:NESTLEIND24MAY2540CE');
  assert.deepEqual([option?.instrumentType, option?.expiry, option?.strike], ['CE', '2024-05-30', 2540]);
});
