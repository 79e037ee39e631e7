// The platform's own vacuum of its queue tables (for servers running with autovacuum off), on a
// real database: only tables past the dead-row threshold are vacuumed, and that clears their dead
// rows; one process at a time per table; idle where the server's autovacuum is on.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createQueueVacuum, vacuumLockSql } from '../../src/store/queue-vacuum.ts';

describe('queue vacuum', () => {
  let database: TestDatabase;
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _e, done) => { lines.push(String(chunk)); done(); } }) as never });

  async function dead(table: string): Promise<number> {
    await database.db.query('SELECT pg_stat_force_next_flush()');
    await database.db.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await database.db.query<{ n: string }>('SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = $1', [table]);
    return Number(rows[0]?.n ?? 0);
  }

  before(async () => {
    database = await createTestDatabase();
    // A queue's churn: 2,000 outbox records, each sequenced (updated) twice; 50 receipts updated once.
    await database.db.query(`INSERT INTO outbox (topic, key, type, payload, headers) SELECT 't', 'k' || g, 'x', '{}', '{}' FROM generate_series(1, 2000) g`);
    await database.db.query('UPDATE outbox SET partition = 0');
    await database.db.query('UPDATE outbox SET position = id');
    await database.db.query(`INSERT INTO notification_receipts (provider, receipt_id, provider_message_id, status) SELECT 'p', 'r' || g, 'm' || g, 'sent' FROM generate_series(1, 50) g`);
    await database.db.query(`UPDATE notification_receipts SET status = 'delivered'`);
  });
  after(async () => {
    await database?.drop();
  });

  test('vacuums the tables whose dead rows passed the threshold, and only those', async () => {
    assert.ok((await dead('outbox')) >= 4000, 'the churn left dead rows');
    assert.equal(await dead('notification_receipts'), 50);
    const vacuum = createQueueVacuum({ db: database.db, tables: ['outbox', 'notification_receipts'], log, autovacuumOn: async () => false });
    assert.deepEqual(await vacuum.runOnce(), ['outbox']);
    assert.equal(await dead('outbox'), 0, 'vacuumed');
    assert.equal(await dead('notification_receipts'), 50, 'under 1,000 dead rows: left alone');
    assert.deepEqual(await vacuum.runOnce(), [], 'nothing left to do');
  });

  test('a table another process is vacuuming (its lock held) is skipped', async () => {
    await database.db.query('UPDATE outbox SET position = position + 100000');
    await database.db.query('UPDATE outbox SET position = position + 100000');
    const before = await dead('outbox');
    assert.ok(before > 1200, `${before} dead rows: past the threshold`);
    const vacuum = createQueueVacuum({ db: database.db, tables: ['outbox'], log, autovacuumOn: async () => false });
    const other = await database.db.pool.connect();
    try {
      await other.query(vacuumLockSql('pg_advisory_lock'), ['outbox']);
      assert.deepEqual(await vacuum.runOnce(), []);
      assert.equal(await dead('outbox'), before, 'not vacuumed');
      await other.query(vacuumLockSql('pg_advisory_unlock'), ['outbox']);
      assert.deepEqual(await vacuum.runOnce(), ['outbox']);
    } finally {
      other.release();
    }
  });

  test('started with autovacuum off it says so and works on its interval; with it on it stays idle', async () => {
    await database.db.query('UPDATE outbox SET position = position + 100000');
    await database.db.query('UPDATE outbox SET position = position + 100000');
    const idle = createQueueVacuum({ db: database.db, tables: ['outbox'], log, everyMs: 10, autovacuumOn: async () => true });
    await idle.start();
    await new Promise((r) => setTimeout(r, 100));
    await idle.stop();
    assert.ok((await dead('outbox')) > 1200, 'left to autovacuum');
    assert.equal(lines.length, 0);

    const busy = createQueueVacuum({ db: database.db, tables: ['outbox'], log, everyMs: 10, autovacuumOn: async () => false });
    await busy.start();
    try {
      const until = Date.now() + 5000;
      while ((await dead('outbox')) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await dead('outbox'), 0);
    } finally {
      await busy.stop();
    }
    assert.match(lines.join(''), /autovacuum is off/);
  });

  test('the lock is per table name, not per place in a list: another process vacuuming another table does not stop this one', async () => {
    await database.db.query('UPDATE outbox SET position = position + 100000');
    await database.db.query('UPDATE outbox SET position = position + 100000');
    assert.ok((await dead('outbox')) > 1200, 'past the threshold');
    const other = await database.db.pool.connect();
    try {
      // A process with other roles vacuums the ledger, the first table of its own list.
      await other.query(vacuumLockSql('pg_advisory_lock'), ['notification_messages']);
      const vacuum = createQueueVacuum({ db: database.db, tables: ['outbox'], log, autovacuumOn: async () => false });
      assert.deepEqual(await vacuum.runOnce(), ['outbox']);
    } finally {
      await other.query(vacuumLockSql('pg_advisory_unlock'), ['notification_messages']);
      other.release();
    }
  });

  test('refuses a table name that is not a plain identifier', () => {
    assert.throws(() => createQueueVacuum({ db: database.db, tables: ['outbox; DROP TABLE clients'], log }), /not a table name/);
  });
});
