// Two platform instances on one database, as two API nodes: an import on either (or from the CLI)
// reaches both indexes through the event log, a node that starts later builds its index from the table,
// and a node's own consumer group goes when it stops.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startPlatform, type Platform } from '../../src/app.ts';
import { createImportRunner } from '../../src/instruments/import-job.ts';
import { createInstrumentStore } from '../../src/instruments/instrument-store.ts';
import { instrumentChangesTopic } from '../../src/instruments/index-sync.ts';
import { makeInstrument } from './shared-data.ts';

const header = 'SYMBOL,NAME OF COMPANY, SERIES, DATE OF LISTING, PAID UP VALUE, MARKET LOT, ISIN NUMBER, FACE VALUE';

describe('instrument index sync across nodes', () => {
  let t: TestPlatform;
  let other: Platform;
  let dir: string;

  async function importOn(platform: Platform, name: string, rows: string[]) {
    const file = path.join(dir, name);
    await writeFile(file, [header, ...rows].join('\n'));
    const summary = await platform.instruments.imports.run({ path: file }, { sourceName: name, createdBy: 'test' });
    assert.equal(summary.status, 'completed');
    return summary;
  }

  before(async () => {
    t = await startTestPlatform();
    // A second API node: same database and keys, its own process state.
    other = await startPlatform({ ...t.config, roles: ['api'] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-index-sync-'));
  });
  after(async () => {
    await other.stop().catch(() => undefined);
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('an import on one node is in its own index at once and in the other node\'s once the log is drained', async () => {
    await importOn(t.platform, 'one.csv', ['RELIANCE,Reliance Industries Limited,EQ,29-NOV-1995,10,1,INE002A01018,10']);
    assert.equal((await t.platform.instruments.index.get('NSE:RELIANCE'))?.name, 'Reliance Industries Limited');
    await other.instruments.sync.drained();
    assert.equal((await other.instruments.index.get('NSE:RELIANCE'))?.name, 'Reliance Industries Limited');
    const found = await other.instruments.index.search({ q: 'relaince' }, new Date());
    assert.equal(found.items[0]?.instrument.id, 'NSE:RELIANCE');
  });

  test('a change made on the other node comes back the other way, as the table now holds it', async () => {
    await importOn(other, 'two.csv', ['RELIANCE,Reliance Industries Ltd (renamed),EQ,29-NOV-1995,10,1,INE002A01018,10', 'TCS,Tata Consultancy Services Limited,EQ,25-AUG-2004,1,1,INE467B01029,1']);
    await t.platform.instruments.sync.drained();
    assert.equal((await t.platform.instruments.index.get('NSE:RELIANCE'))?.name, 'Reliance Industries Ltd (renamed)');
    assert.ok(await t.platform.instruments.index.get('NSE:TCS'));
  });

  test('a CLI import, with no index of its own, reaches both nodes; the records carry ids only', async () => {
    const file = path.join(dir, 'cli.csv');
    await writeFile(file, [header, 'INFY,Infosys Limited,EQ,08-FEB-1995,5,1,INE009A01021,5'].join('\n'));
    const runner = createImportRunner({ db: t.database.db, store: createInstrumentStore({ db: t.database.db }), eventLog: t.platform.eventLog });
    assert.equal((await runner.run({ path: file }, { sourceName: 'cli.csv', createdBy: 'cli' })).inserted, 1);
    await Promise.all([t.platform.instruments.sync.drained(), other.instruments.sync.drained()]);
    assert.ok(await t.platform.instruments.index.get('NSE:INFY'));
    assert.ok(await other.instruments.index.get('NSE:INFY'));
    const { rows } = await t.database.db.query<{ type: string; payload: { ids: string[] } }>('SELECT type, payload FROM outbox WHERE topic = $1 ORDER BY id', [instrumentChangesTopic]);
    assert.deepEqual(rows.map((r) => r.type), ['instrument.changed', 'instrument.changed', 'instrument.changed']);
    assert.deepEqual(rows.map((r) => Object.keys(r.payload)), [['ids'], ['ids'], ['ids']]);
    assert.deepEqual(rows.at(-1)?.payload.ids, ['NSE:INFY']);
  });

  test('a node starting on a database that already holds instruments builds its index from the table', async () => {
    // Rows written with no change record at all (as a restore or a bulk SQL load leaves them): only the
    // start-up read of the table can put them in a new node's index.
    const store = createInstrumentStore({ db: t.database.db });
    await store.upsert([
      makeInstrument({ symbol: 'ZENTEC', name: 'Zen Technologies Limited', isin: 'INE251B01027', token: '7508' }),
      makeInstrument({ symbol: 'NIFTY 50', name: 'Nifty 50', segment: 'INDICES', instrumentType: 'INDEX', aliases: ['NIFTY'] }),
    ]);
    const { rows } = await t.database.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE topic = $1 AND payload::text LIKE $2', [instrumentChangesTopic, '%ZENTEC%']);
    assert.equal(Number(rows[0]!.n), 0, 'no change record names the rows written directly');
    assert.equal(await t.platform.instruments.index.get('NSE:ZENTEC'), undefined, 'a running node never heard of them');

    const fresh = await startPlatform({ ...t.config, roles: ['api'] });
    try {
      // No import and no drain in this node: what it knows, it read from the table at start.
      assert.equal(fresh.instruments.index.size, await store.count());
      assert.equal((await fresh.instruments.index.search({ q: 'zen tech' }, new Date())).items[0]?.instrument.id, 'NSE:ZENTEC');
      assert.equal((await fresh.instruments.index.search({ q: 'nifty' }, new Date())).items[0]?.instrument.id, 'NSE:NIFTY 50');
      // Imported earlier through other nodes, and as the table holds them now (renamed by the later import).
      assert.equal((await fresh.instruments.index.search({ q: 'INE009A01021' }, new Date())).items[0]?.instrument.id, 'NSE:INFY');
      assert.equal((await fresh.instruments.index.get('NSE:RELIANCE'))?.name, 'Reliance Industries Ltd (renamed)');
    } finally {
      await fresh.stop();
    }
  });

  test('each node follows with its own group, and a node that stops cleanly leaves no group behind', async () => {
    const groups = async () => new Set((await t.platform.eventLog.lag()).filter((r) => r.topic.startsWith(instrumentChangesTopic)).map((r) => r.group));
    const before = await groups();
    assert.notEqual(t.platform.instruments.sync.group, other.instruments.sync.group);
    assert.ok(before.has(t.platform.instruments.sync.group) && before.has(other.instruments.sync.group));
    await other.stop();
    const { rows } = await t.database.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM event_consumer_offsets WHERE group_name = $1) + (SELECT count(*) FROM event_partition_leases WHERE group_name = $1)
            + (SELECT count(*) FROM event_group_members WHERE group_name = $1) AS n`,
      [other.instruments.sync.group],
    );
    assert.equal(Number(rows[0]!.n), 0);
    assert.deepEqual([...(await groups())], [t.platform.instruments.sync.group]);
  });
});
