// The instruments table's merge in SQL, where it differs from a plain "known fields win".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createInstrumentStore } from '../../src/instruments/instrument-store.ts';
import { exactInstrument, INSTRUMENT_FIELDS } from '../../src/instruments/instrument.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { makeInstrument } from './shared-data.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.drop());

test('a fund stays an ETF when a source without its ISIN re-imports it as EQ, and an EQ becomes one when its INF ISIN arrives', async () => {
  const store = createInstrumentStore({ db: database.db });
  await store.upsert([
    makeInstrument({ symbol: 'SBIETFPB', instrumentType: 'ETF', isin: 'INF200KA1T35' }),
    makeInstrument({ symbol: 'MAFANG', instrumentType: 'EQ' }),
  ]);
  const again = await store.upsert([
    makeInstrument({ symbol: 'SBIETFPB', instrumentType: 'EQ', isin: null }),
    makeInstrument({ symbol: 'MAFANG', instrumentType: 'EQ', isin: 'INF769K01HP8' }),
  ]);
  assert.deepEqual([again.unchanged, again.changedIds], [1, ['NSE:MAFANG']]);
  const types = await Promise.all(['NSE:SBIETFPB', 'NSE:MAFANG'].map(async (id) => (await store.get(id))?.instrumentType));
  assert.deepEqual(types, ['ETF', 'ETF']);
});

test('rows read back have the Instrument fields in their order, so the index holds them without a copy', async () => {
  const store = createInstrumentStore({ db: database.db });
  await store.upsert([makeInstrument({ symbol: 'TCS', isin: 'INE467B01029' })]);
  const row = await store.get('NSE:TCS');
  assert.deepEqual(Object.keys(row ?? {}), [...INSTRUMENT_FIELDS]);
  assert.equal(row && exactInstrument(row), row);
});
