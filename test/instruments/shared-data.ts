// The real instrument files live outside the repository (they carry no licence): tests read them from
// ../shared/data/instruments and skip, saying why, where that folder is absent. No side effects here.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { collectInstruments, importInstruments } from '../../src/instruments/import/import-instruments.ts';
import { mergeInstruments } from '../../src/instruments/instrument.ts';
import type { Instrument } from '../../src/instruments/instrument.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const sharedDataDir = path.resolve(repoRoot, '../shared/data/instruments');
export const hasSharedData = existsSync(sharedDataDir);
export const NO_SHARED_DATA = `real instrument files not found at ${sharedDataDir}`;

export const CSV_FILES = [
  'kite_instruments_nse_2026-01.csv',
  'kite_instruments_nfo_subset_2024-04.csv',
  'bse_Equity_2024-01.csv',
  'nse_EQUITY_L_2025-12.csv',
  'nse_ind_nifty500list_2025-09.csv',
  'upstox_nse_eq_2026-04.csv',
] as const;

export function sharedFile(name: string): string {
  return path.join(sharedDataDir, name);
}

/** Imports files and merges them by id, later files filling in what earlier ones lacked. */
export async function loadInstruments(files: readonly string[] = CSV_FILES): Promise<Instrument[]> {
  const byId = new Map<string, Instrument>();
  for (const file of files) {
    const { instruments } = await collectInstruments(importInstruments({ path: sharedFile(file) }));
    for (const instrument of instruments) {
      const earlier = byId.get(instrument.id);
      byId.set(instrument.id, earlier ? mergeInstruments(earlier, instrument) : instrument);
    }
  }
  return [...byId.values()];
}

/** A record with sensible defaults, for small hand-made corpora. */
export function makeInstrument(fields: Partial<Instrument> & Pick<Instrument, 'symbol'>): Instrument {
  const exchange = fields.exchange ?? 'NSE';
  return {
    id: `${exchange}:${fields.symbol}`,
    name: fields.symbol,
    exchange,
    segment: 'CASH',
    instrumentType: 'EQ',
    underlying: null,
    isin: null,
    series: null,
    expiry: null,
    strike: null,
    optionType: null,
    lotSize: null,
    tickSize: null,
    sector: null,
    industry: null,
    token: null,
    aliases: [],
    ...fields,
  };
}
