// Relevance on the real instrument files (44k instruments): the answers a dealer expects.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createMemoryInstrumentIndex } from '../../src/instruments/index/memory-instrument-index.ts';
import type { Instrument } from '../../src/instruments/instrument.ts';
import type { SearchResult } from '../../src/instruments/instrument-index.ts';
import { compactKey } from '../../src/instruments/text.ts';
import { hasSharedData, loadInstruments, NO_SHARED_DATA } from './shared-data.ts';

const EARLY_APRIL = new Date('2024-04-01T09:15:00+05:30');
const index = createMemoryInstrumentIndex();
let corpus: Instrument[] = [];

before(async () => {
  if (!hasSharedData) return;
  corpus = await loadInstruments();
  await index.build(corpus);
});

const ids = (result: SearchResult) => result.items.map((hit) => hit.instrument.id);

describe('relevance on the real files', () => {
  test('the corpus: every shared CSV merged by (exchange, symbol)', (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    assert.ok(index.size > 44_000, `size ${index.size}`);
    const reliance = corpus.find((i) => i.id === 'NSE:RELIANCE');
    // Kite gave the token, EQUITY_L and Upstox the ISIN, the Nifty 500 list the industry.
    assert.deepEqual([reliance?.token, reliance?.isin, reliance?.industry], ['2885', 'INE002A01018', 'Oil Gas & Consumable Fuels']);
  });

  test('relaince → RELIANCE first', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    assert.equal(ids(await index.search({ q: 'relaince' }, EARLY_APRIL))[0], 'NSE:RELIANCE');
    assert.equal(ids(await index.search({ q: 'reliance' }, EARLY_APRIL))[0], 'NSE:RELIANCE');
    assert.equal(ids(await index.search({ q: 'reliance industries' }, EARLY_APRIL))[0], 'NSE:RELIANCE');
  });

  test('nifty 22000 ce → NIFTY 22000 calls, nearest unexpired expiry first for the injected clock', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    const result = await index.search({ q: 'nifty 22000 ce', limit: 100 }, EARLY_APRIL);
    assert.ok(result.total >= 10);
    for (const { instrument } of result.items) {
      assert.deepEqual([instrument.underlying, instrument.strike, instrument.instrumentType], ['NIFTY', 22000, 'CE']);
    }
    const expiries = result.items.map((hit) => hit.instrument.expiry ?? '');
    assert.equal(expiries[0], '2024-04-04');
    assert.deepEqual(expiries, [...expiries].sort());
    const later = await index.search({ q: 'nifty 22000 ce', limit: 100 }, new Date('2024-04-20T12:00:00+05:30'));
    const laterExpiries = later.items.map((hit) => hit.instrument.expiry);
    assert.equal(laterExpiries[0], '2024-04-25');
    assert.deepEqual(laterExpiries.slice(-3), ['2024-04-18', '2024-04-10', '2024-04-04']);
  });

  test('NIFTY 50, nifty and nifty50 find the index; banknifty fut lists futures by expiry', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    for (const q of ['NIFTY 50', 'nifty', 'nifty50', 'Nifty 50']) assert.equal(ids(await index.search({ q }, EARLY_APRIL))[0], 'NSE:NIFTY 50', q);
    assert.equal(ids(await index.search({ q: 'banknifty' }, EARLY_APRIL))[0], 'NSE:NIFTY BANK');
    assert.deepEqual(ids(await index.search({ q: 'banknifty fut' }, EARLY_APRIL)), ['NFO:BANKNIFTY24APRFUT', 'NFO:BANKNIFTY24MAYFUT', 'NFO:BANKNIFTY24JUNFUT']);
    assert.deepEqual(ids(await index.search({ q: 'finnifty fut' }, EARLY_APRIL)).length, 3);
  });

  test('ISIN: exact lookup in search and by ISIN, NSE listing first', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    assert.deepEqual(ids(await index.search({ q: 'INE002A01018' }, EARLY_APRIL)), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    assert.deepEqual((await index.getByIsin('INE002A01018')).map((i) => i.id), ['NSE:RELIANCE', 'BSE:RELIANCE']);
    assert.deepEqual((await index.getByToken('500325')).map((i) => i.id), ['BSE:RELIANCE']);
  });

  test('company names, typos in names, and F&O phrases with months', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    assert.equal(ids(await index.search({ q: 'infosys' }, EARLY_APRIL))[0], 'NSE:INFY');
    assert.equal(ids(await index.search({ q: 'hindusatn unilever' }, EARLY_APRIL))[0], 'NSE:HINDUNILVR');
    assert.equal(ids(await index.search({ q: 'tata motors' }, EARLY_APRIL))[0], 'NSE:TATAMOTORS');
    const may = await index.search({ q: 'reliance 2900 pe may' }, EARLY_APRIL);
    assert.deepEqual(ids(may), ['NFO:RELIANCE24MAY2900PE']);
    assert.deepEqual(ids(await index.search({ q: 'nifty 24 apr 22000 pe', expiryTo: '2024-04-12' }, EARLY_APRIL)), ['NFO:NIFTY2440422000PE', 'NFO:NIFTY2441022000PE']);
  });

  test('property: any listed symbol typed in full comes back first', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    const symbols = corpus.filter((i) => i.underlying === null).map((i) => i.symbol);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...symbols), async (symbol) => {
        const top = (await index.search({ q: symbol }, EARLY_APRIL)).items[0]?.instrument;
        assert.ok(top && [top.symbol, ...top.aliases].some((name) => compactKey(name) === compactKey(symbol)), `${symbol} → ${top?.id}`);
      }),
      { numRuns: 400 },
    );
  });

  test('a mixed workload answers in well under a millisecond per query', async (t) => {
    if (!hasSharedData) return t.skip(NO_SHARED_DATA);
    const queries = ['rel', 'relaince', 'nifty 22000 ce', 'hdfc bank', 'INE009A01021', 'ba', 'tatast', 'banknifty fut', 'adani ent', 'infosis'];
    for (let i = 0; i < 500; i++) index.engine.search({ q: queries[i % queries.length] ?? '' }, EARLY_APRIL);
    const took: number[] = [];
    for (let i = 0; i < 2000; i++) took.push(index.engine.search({ q: queries[i % queries.length] ?? '' }, EARLY_APRIL).tookMicros);
    took.sort((a, b) => a - b);
    // Loose bound: shared machines drift; bench/search.bench.ts reports the real figures.
    assert.ok((took[1000] ?? 0) < 1000, `median ${took[1000]} µs`);
  });
});
