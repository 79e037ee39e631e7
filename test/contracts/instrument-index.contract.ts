// The InstrumentIndex contract: every adapter (the in-process one now, Elasticsearch later) runs this
// suite unchanged. Belongs in test/contracts/ once that folder exists.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Instrument } from '../../src/instruments/instrument.ts';
import type { InstrumentIndex } from '../../src/instruments/instrument-index.ts';
import { makeInstrument } from '../instruments/shared-data.ts';

const NOW = new Date('2024-04-01T10:00:00+05:30');

const RECORDS: Instrument[] = [
  makeInstrument({ symbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', isin: 'INE002A01018', token: '2885' }),
  makeInstrument({ symbol: 'RELIANCE', exchange: 'BSE', name: 'Reliance Industries Ltd', isin: 'INE002A01018', token: '500325' }),
  makeInstrument({ symbol: 'NIFTY 50', segment: 'INDICES', instrumentType: 'INDEX', aliases: ['NIFTY'] }),
  makeInstrument({ symbol: 'NIFTY24APRFUT', exchange: 'NFO', segment: 'FO', instrumentType: 'FUT', underlying: 'NIFTY', expiry: '2024-04-25' }),
  makeInstrument({ symbol: 'NIFTY24MAYFUT', exchange: 'NFO', segment: 'FO', instrumentType: 'FUT', underlying: 'NIFTY', expiry: '2024-05-30' }),
];

async function* streamed(records: Instrument[]): AsyncIterable<Instrument> {
  yield* records;
}

/** Runs the contract against an adapter; `makeIndex` returns a fresh, empty index each time. */
export function describeInstrumentIndexContract(name: string, makeIndex: () => Promise<InstrumentIndex> | InstrumentIndex): void {
  describe(`InstrumentIndex contract: ${name}`, () => {
    test('build from an async stream, then search, get, and look up by ISIN and token', async () => {
      const index = await makeIndex();
      await index.build(streamed(RECORDS));
      assert.equal(index.size, RECORDS.length);
      const result = await index.search({ q: 'reliance' }, NOW);
      assert.deepEqual(result.items.map((hit) => hit.instrument.id), ['NSE:RELIANCE', 'BSE:RELIANCE']);
      assert.equal(result.total, 2);
      assert.ok(result.tookMicros >= 0);
      assert.equal((await index.get('BSE:RELIANCE'))?.token, '500325');
      assert.deepEqual((await index.getByIsin('INE002A01018')).map((i) => i.exchange), ['NSE', 'BSE']);
      assert.deepEqual((await index.getByToken('2885')).map((i) => i.id), ['NSE:RELIANCE']);
    });

    test('build replaces everything; upsert replaces by id; remove reports what it removed', async () => {
      const index = await makeIndex();
      await index.build(RECORDS);
      await index.build(RECORDS.slice(0, 2));
      assert.equal(index.size, 2);
      await index.upsert([makeInstrument({ symbol: 'RELIANCE', name: 'RIL' })]);
      assert.equal((await index.get('NSE:RELIANCE'))?.name, 'RIL');
      assert.equal(index.size, 2);
      assert.equal(await index.remove(['NSE:RELIANCE', 'NSE:MISSING']), 1);
      assert.equal(await index.get('NSE:RELIANCE'), undefined);
      assert.deepEqual((await index.search({ q: 'reliance' }, NOW)).items.map((hit) => hit.instrument.id), ['BSE:RELIANCE']);
    });

    test('ranking: alias exact first; futures by nearest unexpired expiry for the given clock', async () => {
      const index = await makeIndex();
      await index.build(RECORDS);
      assert.equal((await index.search({ q: 'nifty' }, NOW)).items[0]?.instrument.id, 'NSE:NIFTY 50');
      const afterApril = new Date('2024-04-26T10:00:00+05:30');
      assert.deepEqual((await index.search({ q: 'nifty fut' }, afterApril)).items.map((hit) => hit.instrument.id), ['NFO:NIFTY24MAYFUT', 'NFO:NIFTY24APRFUT']);
    });

    test('never rejects: bad filters come back as warnings, hostile text as a defined answer', async () => {
      const index = await makeIndex();
      await index.build(RECORDS);
      const result = await index.search({ q: "'; DROP TABLE x; --".repeat(500), exchange: 'XYZ' }, NOW);
      assert.equal(result.total, 0);
      assert.ok(result.warnings.length > 0);
      assert.deepEqual(Object.keys(result.facets).sort(), ['exchange', 'segment', 'type']);
    });
  });
}
